package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.List;
import java.util.Set;

/** {@code exec}: runs a command in a service's running container (no shell involved). */
public record ExecStep(String service, List<String> command) implements Step {

    /** {@code exec} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "exec";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("service", "command");
        }

        @Override
        public Step build(StepBody body) {
            return new ExecStep(body.string("service"), body.strings("command"));
        }
    }

    @Override
    public String title(Template t) {
        return "exec " + String.join(" ", command.stream().map(t::apply).toList()) + " in " + service;
    }

    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return Set.of(service);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        List<String> argv = command.stream().map(ctx.template()::apply).toList();
        int code = ctx.docker().exec(ctx.project(), service, argv, ctx.out(), ctx.timeout());
        if (code != 0) throw new StepFailedException(String.join(" ", argv) + " in " + service + " exited with " + code);
    }
}
