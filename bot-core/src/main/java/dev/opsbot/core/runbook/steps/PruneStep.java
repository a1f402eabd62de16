package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.compose.ServiceSpec;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code prune}: removes dangling images left by earlier tags of the stack's own repositories
 * (not every dangling image on the host, which may belong to other projects).
 */
public record PruneStep() implements Step {

    /** {@code prune} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "prune";
        }

        @Override
        public StepFields fields() {
            return StepFields.none();
        }

        @Override
        public Step build(StepBody body) {
            return new PruneStep();
        }
    }

    @Override
    public String title(Template t) {
        return "prune dangling images of the stack";
    }

    @Override
    public void run(StepContext ctx) {
        Set<String> repositories = ctx.project().services().values().stream()
                .map(ServiceSpec::imageRef).map(r -> r.repository()).collect(Collectors.toSet());
        ctx.docker().pruneDangling(repositories, ctx.out());
    }
}
