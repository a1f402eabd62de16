package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.List;

/**
 * {@code swarm-job}: a command run once as a job service (replicated-job) with a stack service's
 * image, environment, mounts and networks, its output streamed live, the job removed afterwards
 * (migrations).
 */
public record SwarmJobStep(String service, List<String> command) implements Step {

    /** {@code swarm-job} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "swarm-job";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("service", "command");
        }

        @Override
        public Step build(StepBody body) {
            return new SwarmJobStep(body.string("service"), body.strings("command"));
        }
    }

    @Override
    public String title(Template t) {
        return "run " + String.join(" ", command.stream().map(t::apply).toList()) + " as a one-off " + service + " job";
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        List<String> argv = command.stream().map(ctx.template()::apply).toList();
        // The image the stack file names now (after a pin): the migration belongs to the code about to roll out.
        String image = ctx.project().require(service).image();
        int code = ctx.swarm().runJob(ctx.project().name(), service, image, argv, ctx.out(), ctx.timeout());
        if (code != 0) throw new StepFailedException(String.join(" ", argv) + " in a " + service + " job exited with " + code);
    }

    @Override
    public List<String> preview(StepContext ctx) {
        return List.of("then: " + String.join(" ", command.stream().map(ctx.template()::apply).toList()) + " (" + service + " job)");
    }
}
