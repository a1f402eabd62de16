package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.List;

/** {@code logs}: the last lines of each service's log. */
public record LogsStep(List<String> services, int tail) implements Step {

    /** {@code logs} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "logs";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("services").withOptional("tail");
        }

        @Override
        public Step build(StepBody body) {
            return new LogsStep(body.strings("services"), body.integer("tail", 50));
        }
    }

    @Override
    public String title(Template t) {
        return "last " + tail + " log lines of " + String.join(", ", services.stream().map(t::apply).toList());
    }

    @Override
    public void run(StepContext ctx) {
        for (String s : services) {
            String service = ctx.template().apply(s);
            ctx.out().line("── " + service + " ──");
            ctx.docker().logs(ctx.project(), service, tail, ctx.out(), ctx.timeout());
        }
    }
}
