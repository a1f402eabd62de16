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

/** {@code run}: a one-off container of a service with a command, removed afterwards (migrations). */
public record RunOneOffStep(String service, List<String> command) implements Step {

    /** {@code run} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "run";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("service", "command");
        }

        @Override
        public Step build(StepBody body) {
            return new RunOneOffStep(body.string("service"), body.strings("command"));
        }
    }

    @Override
    public String title(Template t) {
        return "run " + String.join(" ", command.stream().map(t::apply).toList()) + " in a one-off " + service;
    }

    /** It runs a container made from the compose file and .env: not on a version of the stack's files someone else saved during the run. */
    @Override
    public boolean appliesStackFiles() {
        return true;
    }

    /** A migration changes what the service's running container finds in its database. */
    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return Set.of(service);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        List<String> argv = command.stream().map(ctx.template()::apply).toList();
        int code = ctx.docker().runOneOff(ctx.project(), service, argv, ctx.out(), ctx.timeout());
        if (code != 0) {
            throw new StepFailedException(String.join(" ", argv) + " in " + service + " exited with " + code);
        }
    }

    @Override
    public List<String> preview(StepContext ctx) {
        return List.of("then: " + String.join(" ", command.stream().map(ctx.template()::apply).toList()) + " (" + service + ")");
    }
}
