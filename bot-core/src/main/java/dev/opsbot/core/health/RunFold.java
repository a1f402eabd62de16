package dev.opsbot.core.health;

import dev.opsbot.core.engine.CheckResult;
import dev.opsbot.core.engine.RunInProgress;
import dev.opsbot.core.engine.RunResult;
import dev.opsbot.core.engine.RunsInProgress;
import dev.opsbot.core.store.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The monitor and the runs speak with one voice. What the monitor sees of a service a mutating
 * run is changing or checking goes into that run's message, not into new alerts. After a run that
 * did not succeed, whose message already says what failed and offers the rollback, new alerts
 * about its services wait {@code afterFailedRun} for someone to act; a problem that outlasts that
 * is alerted once, and the alert names the run. Used by the monitor's thread only.
 */
final class RunFold {
    private final RunsInProgress runs;
    private final Duration afterFailedRun;
    private final Map<String, Instant> heldUntil = new HashMap<>();

    RunFold(RunsInProgress runs, Duration afterFailedRun) {
        this.runs = runs;
        this.afterFailedRun = afterFailedRun;
    }

    /**
     * Whether new alerts about the observation's service are held back at {@code now}: it went to
     * the run changing the service, or a failed run's message speaks for the service still.
     */
    boolean holds(Observation o, Instant now) {
        Optional<RunInProgress> run = runs.changing(o.service());
        if (run.isPresent()) {
            run.get().observed(new CheckResult(o.service(), o.check(), o.ok(), o.output(), o.at()));
            return true;
        }
        Instant until = heldUntil.get(o.service());
        if (until != null && !now.isBefore(until)) heldUntil.remove(o.service());
        return until != null && now.isBefore(until);
    }

    /** A run ended at {@code now}: returns how long until its services are judged by their alerts again. */
    Duration ended(RunResult run, Instant now) {
        if (run.status() == RunStatus.SUCCEEDED) {
            run.services().forEach(heldUntil::remove);
            return Duration.ZERO;
        }
        run.services().forEach(s -> heldUntil.put(s, now.plus(afterFailedRun)));
        return afterFailedRun;
    }
}
