package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.List;
import java.util.Set;

/** {@code restart}: restarts the services' containers as they are. */
public record RestartStep(List<String> services) implements Step {

    /** {@code restart} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "restart";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("services");
        }

        @Override
        public Step build(StepBody body) {
            return new RestartStep(body.strings("services"));
        }
    }

    @Override
    public String title(Template t) {
        return "restart " + String.join(", ", services.stream().map(t::apply).toList());
    }

    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return Set.copyOf(services.stream().map(t::apply).toList());
    }

    @Override
    public void run(StepContext ctx) {
        ctx.docker().restart(ctx.project(), services.stream().map(ctx.template()::apply).toList(), ctx.out(), ctx.timeout());
    }
}
