package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.swarm.DeployResult;
import dev.opsbot.core.swarm.SwarmProgress;
import dev.opsbot.core.swarm.SwarmService;
import dev.opsbot.core.swarm.UpdateOutcome;
import dev.opsbot.core.swarm.UpdatePolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code swarm-update}: points the stack's services at the images the stack file now names (after
 * a {@code pin}) and lets the engine roll them out with the update policy: the runbook's
 * ({@code policy}) or each service's own. The live message follows every task; a service the
 * policy rolled back fails the step with Docker's reason, and takes the others back with it.
 *
 * @param policy null for each service's own {@code update_config}
 */
public record SwarmUpdateStep(List<String> services, UpdatePolicy policy) implements Step {

    /**
     * {@code swarm-update} in a runbook: without policy fields, each service's own update_config;
     * with any, the runbook's policy (the rest defaulted).
     */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "swarm-update";
        }

        @Override
        public StepFields fields() {
            return StepFields.optional("services", "parallelism", "delay", "failure-action", "monitor");
        }

        @Override
        public Step build(StepBody body) {
            List<String> services = body.strings("services", List.of());
            if (!body.has("parallelism") && !body.has("delay") && !body.has("failure-action") && !body.has("monitor")) {
                return new SwarmUpdateStep(services, null);
            }
            UpdatePolicy d = UpdatePolicy.DEFAULT;
            UpdatePolicy.FailureAction action = d.onFailure();
            if (body.has("failure-action")) {
                String a = body.string("failure-action");
                action = switch (a) {
                    case "rollback" -> UpdatePolicy.FailureAction.ROLLBACK;
                    case "pause" -> UpdatePolicy.FailureAction.PAUSE;
                    default -> throw body.node("failure-action").error("failure-action is rollback or pause, not '" + a + "'");
                };
            }
            int parallelism = body.integer("parallelism", d.parallelism());
            if (parallelism < 0) throw body.node("parallelism").error("parallelism is 0 (all at once) or more");
            return new SwarmUpdateStep(services, new UpdatePolicy(parallelism, body.duration("delay", d.delay()), action,
                    body.duration("monitor", d.monitor())));
        }
    }

    @Override
    public String title(Template t) {
        return "roll out " + (services.isEmpty() ? "every service" : String.join(", ", services)) + " on the swarm"
                + (policy == null ? "" : " (" + (policy.parallelism() == 0 ? "all" : policy.parallelism()) + " at a time, "
                + policy.delay().toSeconds() + " s apart, on failure " + policy.onFailure().name().toLowerCase(Locale.ROOT) + ")");
    }

    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return services.isEmpty() ? stack : Set.copyOf(services);
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        ComposeProject project = ctx.project();
        Map<String, String> images = new LinkedHashMap<>();
        for (String service : services.isEmpty() ? List.copyOf(project.services().keySet()) : services) {
            images.put(service, project.require(service).image());
        }
        SwarmProgress progress = new SwarmProgress(ctx.out());
        Map<String, String> before = tags(ctx);
        DeployResult result = policy == null
                ? ctx.swarm().deploy(project.name(), images, progress, ctx.timeout())
                : ctx.swarm().deploy(project.name(), images, policy, progress, ctx.timeout());
        List<UpdateOutcome> failed = result.services().stream().filter(o -> !o.converged()).toList();
        if (failed.isEmpty()) {
            ctx.healthVerified();
            return;
        }
        undoTheOthers(ctx, result, before, progress);
        StringBuilder why = new StringBuilder();
        for (UpdateOutcome o : failed) {
            if (why.length() > 0) why.append("; ");
            why.append(o.service()).append(switch (o.result()) {
                case ROLLED_BACK -> " was rolled back by the update policy to " + o.image();
                case FAILED -> " did not update and is on " + o.image();
                case TIMED_OUT -> " was still updating after " + ctx.timeout().toSeconds() + " s (the engine carries on)";
                case CONVERGED -> "";
            }).append(o.reason().isEmpty() ? "" : ": " + o.reason());
        }
        throw new StepFailedException(why.toString());
    }

    /**
     * The engine rolls back only the service whose task failed; the services that did update are
     * put back on their previous spec too, so the stack stays on one release, and the stack file
     * is pinned to what runs again.
     */
    private static void undoTheOthers(StepContext ctx, DeployResult result, Map<String, String> before, SwarmProgress progress)
            throws StepFailedException {
        String stack = ctx.project().name();
        for (UpdateOutcome o : result.services()) {
            if (!o.converged() || ImageRef.parse(o.image()).tag().equals(before.get(o.service()))) continue;
            ctx.out().line(o.service() + ": back to its previous spec as well, so the stack stays on one release");
            ctx.swarm().rollback(stack, o.service(), progress, ctx.timeout());
        }
        Map<String, String> now = tags(ctx);
        now.keySet().retainAll(result.services().stream().map(UpdateOutcome::service).toList());
        try {
            for (ImagePinner.Change c : new ImagePinner().pinFile(ctx.project().file(), now).changes()) {
                if (!c.before().equals(c.after())) ctx.out().line(c.service() + ": stack file " + c.before() + " -> " + c.after());
            }
        } catch (RuntimeException e) {
            ctx.out().line("the stack file could not be pinned back to what runs: " + e.getMessage());
        }
    }

    /** The tag each service of the stack runs now. */
    private static Map<String, String> tags(StepContext ctx) throws StepFailedException {
        Map<String, String> tags = new LinkedHashMap<>();
        for (SwarmService s : ctx.swarm().services(ctx.project().name())) tags.put(s.name(), ImageRef.parse(s.image()).tag());
        return tags;
    }
}
