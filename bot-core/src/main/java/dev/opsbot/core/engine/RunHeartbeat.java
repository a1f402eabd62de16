package dev.opsbot.core.engine;

import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.store.RunStore;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other replicas, every second or so, that this one still runs its runs (their
 * heartbeat, by the database's clock), and hears what was decided about them elsewhere: a cancel
 * typed on another replica, or a report that the run was interrupted (this replica had lost the
 * database for longer than a lease), which stops it before its next step.
 */
final class RunHeartbeat implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RunHeartbeat.class);

    private final RunStore runs;
    private final String replica;
    private final Set<Long> owned;
    private final Map<Long, ActiveRun> active;
    private boolean failing;

    RunHeartbeat(RunStore runs, String replica, Set<Long> owned, Map<Long, ActiveRun> active) {
        this.runs = runs;
        this.replica = replica;
        this.owned = owned;
        this.active = active;
    }

    /** A cancel typed on another replica since the last heartbeat, read before each step; none while the database is away. */
    static Optional<String> cancelAsked(RunStore runs, long runId) {
        try {
            return runs.cancelRequest(runId);
        } catch (RuntimeException e) {
            LOG.debug("cannot read whether run #{} was cancelled elsewhere: {}", runId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void run() {
        Set<Long> ids = Set.copyOf(owned);
        if (ids.isEmpty()) return;
        try {
            runs.heartbeat(replica, ids);
            for (RunStore.Signal signal : runs.signals(ids)) {
                ActiveRun run = active.get(signal.runId());
                if (run == null) continue;
                if (signal.status() == RunStatus.INTERRUPTED) {
                    run.fence();
                } else if (signal.status() == RunStatus.RUNNING && signal.cancelRequestedBy() != null) {
                    run.cancelRequested(signal.cancelRequestedBy());
                }
            }
            if (failing) LOG.info("heartbeats of runs {} reach the database again", ids);
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) LOG.warn("heartbeats of runs {} cannot be written: {}", ids, e.getMessage());
            failing = true;
        }
    }
}
