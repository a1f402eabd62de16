package dev.opsbot.core.engine;

import java.util.Optional;

/**
 * The runs as the health monitor needs them: the mutating run changing or checking a service
 * right now (what the monitor sees of that service goes into the run's message, not into new
 * alerts), and word when a run ends (with the services it changed or checked).
 */
public interface RunsInProgress {

    /** A monitor that watches no runs (one on its own, in a test). */
    RunsInProgress NONE = new RunsInProgress() {
        @Override
        public Optional<RunInProgress> changing(String service) {
            return Optional.empty();
        }

        @Override
        public void whenFinished(RunListener listener) {
        }
    };

    /** The mutating run in progress whose steps change or check {@code service}, if any. */
    Optional<RunInProgress> changing(String service);

    /** Tells {@code listener} of every run that ends from now on, once it no longer counts as in progress. */
    void whenFinished(RunListener listener);
}
