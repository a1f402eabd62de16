package dev.opsbot.core.runbook;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** One step of a runbook. Each YAML step kind is one small class implementing this. */
public interface Step {

    /** A short human title with parameters filled in, e.g. "pull backend, worker". */
    String title(Template template);

    /** Does the step's work; throws {@link StepFailedException} (or a DockerException) when it fails. */
    void run(StepContext context) throws Exception;

    /** What this step will change, for the confirmation message; empty when it changes nothing visible. */
    default List<String> preview(StepContext context) {
        return List.of();
    }

    /** The services whose image tag this step pins (only pin steps have any). */
    default List<String> pinnedServices() {
        return List.of();
    }

    /**
     * The services this step changes or checks, given every service of the stack ({@code stack}):
     * while a run is in progress, what the health monitor sees of them goes into the run's message,
     * not into new alerts. Steps that touch no container (pull, prune, a release tag) name none.
     */
    default Set<String> touches(Template template, Set<String> stack) {
        return Set.of();
    }

    /**
     * Whether this step writes the stack's files or applies them to the engine: it then does not run
     * when someone else changed them during the run ({@link StackFiles}).
     */
    default boolean appliesStackFiles() {
        return false;
    }

    /** Whether a failure of this step lets the run go on (diagnostic steps). */
    default boolean continueOnFailure() {
        return false;
    }

    /** The step's kind as runbooks name it ({@code pull}, {@code up}), for counting steps by kind. */
    default String kind() {
        return "unknown";
    }

    /** A per-step timeout overriding the runbook's, or null. */
    default Duration timeout() {
        return null;
    }
}
