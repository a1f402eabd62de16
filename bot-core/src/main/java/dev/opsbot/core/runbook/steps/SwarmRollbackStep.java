package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.swarm.SwarmProgress;
import dev.opsbot.core.swarm.UpdateOutcome;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code swarm-rollback}: the engine's own rollback of each service to its previous spec (what
 * {@code docker service rollback} does), followed task by task; the stack file is pinned to
 * the tag each service is back on.
 */
public record SwarmRollbackStep(List<String> services) implements Step {

    /** {@code swarm-rollback} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "swarm-rollback";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("services");
        }

        @Override
        public Step build(StepBody body) {
            return new SwarmRollbackStep(body.strings("services"));
        }
    }

    @Override
    public String title(Template t) {
        return "roll back " + String.join(", ", services) + " to the previous spec";
    }

    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return Set.copyOf(services);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        SwarmProgress progress = new SwarmProgress(ctx.out());
        for (String service : services) {
            UpdateOutcome o = ctx.swarm().rollback(ctx.project().name(), service, progress, ctx.timeout());
            if (!o.converged()) {
                throw new StepFailedException(service + " did not roll back; it is on " + o.image()
                        + (o.reason().isEmpty() ? "" : ": " + o.reason()));
            }
            // The stack file follows the swarm, so the next deploy and /ops history start from what runs.
            String tag = ImageRef.parse(o.image()).tag();
            for (ImagePinner.Change c : new ImagePinner().pinFile(ctx.project().file(), Map.of(service, tag)).changes()) {
                ctx.recordChange(c);
                ctx.out().line(c.service() + ": stack file " + c.before() + " -> " + c.after());
            }
        }
        ctx.healthVerified();
    }

    @Override
    public List<String> preview(StepContext ctx) {
        return services.stream().map(s -> s + ": back to its previous spec").toList();
    }
}
