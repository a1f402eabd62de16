package dev.opsbot.core.press;

import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.store.RunStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the runs nobody runs any more and has them reported once, with Resume and Roll back
 * ({@link Recoveries}): the leader's duty, every second or so. On a database only this process
 * opens (an H2 file), every run an earlier process left running; on a database replicas share,
 * every run whose heartbeat is older than a lease (its replica was killed, lost the database, or
 * stopped for a restart). Each is marked interrupted by one atomic update before it is reported,
 * so two replicas that both believe they lead still report it once. Runs of this replica are never
 * taken: it knows better than their heartbeat.
 */
public final class AbandonedRuns implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AbandonedRuns.class);

    private final RunStore runs;
    private final Recoveries recoveries;
    private final String replica;
    private final boolean exclusive;
    private final Duration staleAfter;
    private final Supplier<Set<Long>> runningHere;
    private boolean failing;

    /**
     * @param exclusive  the database is an H2 file only this process opens
     * @param staleAfter how old a heartbeat is when its run is abandoned (on a shared database)
     */
    public AbandonedRuns(RunStore runs, Recoveries recoveries, String replica, boolean exclusive, Duration staleAfter,
                         Supplier<Set<Long>> runningHere) {
        this.runs = runs;
        this.recoveries = recoveries;
        this.replica = replica;
        this.exclusive = exclusive;
        this.staleAfter = staleAfter;
        this.runningHere = runningHere;
    }

    @Override
    public void run() {
        try {
            List<RunRecord> claimed = exclusive
                    ? runs.claimLeftBehind(replica, runningHere.get())
                    : runs.claimSilent(staleAfter, runningHere.get());
            failing = false;
            if (!claimed.isEmpty()) recoveries.reportInterrupted(claimed, exclusive);
        } catch (RuntimeException e) {
            if (!failing) LOG.warn("looking for interrupted runs failed: {}", e.getMessage());
            failing = true;
        }
    }
}
