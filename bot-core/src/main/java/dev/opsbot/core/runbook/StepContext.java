package dev.opsbot.core.runbook;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.swarm.SwarmHost;
import java.time.Duration;
import java.util.List;

/** What a step may use while it runs. */
public interface StepContext {

    /** The compose project as the file reads now (re-read after a pin). */
    ComposeProject project();

    DockerHost docker();

    /** The engine as a swarm manager, for the swarm steps; refused where the environment's target is a compose project. */
    default SwarmHost swarm() throws StepFailedException {
        throw new StepFailedException("this is a swarm step, and this environment's target is a compose project, not a swarm stack"
                + " (see docs/environments.md)");
    }

    /** The step's output: reaches the channel live and the run's full log. */
    OutputSink out();

    Template template();

    /** The time this step may take. */
    Duration timeout();

    /** Records an image change made by a pin step (for the deploy record and the rollback offer). */
    void recordChange(ImagePinner.Change change);

    /** The stack's files as this run found and wrote them: steps that write one say so here. */
    default StackFiles stackFiles() {
        return StackFiles.UNWATCHED;
    }

    /** Records that the stack's health was verified after the change. */
    void healthVerified();

    /**
     * Asks the requester a question with buttons and waits for the answer (or {@code timeout},
     * then {@code fallback}); returns the chosen option's index.
     */
    int choose(String question, List<String> options, List<Boolean> dangerous, Duration timeout, int fallback)
            throws InterruptedException;

    /** Runs nested steps (a choice's branch) as part of this step. */
    void runNested(List<Step> steps) throws Exception;

    // --- release and secrets (docs/release-and-secrets.md) ---

    /** Settings and chat-side help for the release and secret steps; contexts without them refuse. */
    default Operations operations() {
        throw new IllegalStateException("release and secret steps cannot run here");
    }
}
