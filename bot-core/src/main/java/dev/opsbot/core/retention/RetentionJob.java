package dev.opsbot.core.retention;

import dev.opsbot.core.failure.FailureText;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.RunHistoryPruner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps growth bounded: each pass forgets the run history older than {@link Retention#runs()} and
 * removes run logs older than {@link Retention#logs()}. A plain {@link Runnable} for whoever
 * schedules it (the bot, every {@link Retention#every()} from its start); a pass that fails is
 * logged and the next one tries again.
 */
public final class RetentionJob implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    private final Retention retention;
    private final RunHistoryPruner history;
    private final RunLogFiles logs;
    private final Clock clock;
    private final BooleanSupplier prunesHistory;

    /** A job for a bot alone: it prunes the history and its run logs. */
    public RetentionJob(Retention retention, Database db, Path logDir, Clock clock) {
        this(retention, db, logDir, clock, () -> true);
    }

    /**
     * @param prunesHistory whether a pass may prune the run history now: replicas share it, and
     *                      only their leader prunes it; each removes its own run logs
     */
    public RetentionJob(Retention retention, Database db, Path logDir, Clock clock, BooleanSupplier prunesHistory) {
        this.retention = retention;
        this.history = new RunHistoryPruner(db);
        this.logs = new RunLogFiles(logDir);
        this.clock = clock;
        this.prunesHistory = prunesHistory;
    }

    public Retention retention() {
        return retention;
    }

    /** What one pass removed. */
    public record Pass(RunHistoryPruner.Removed history, int logFiles) {
        public boolean nothing() {
            return history.nothing() && logFiles == 0;
        }
    }

    /** One pass, now; failures are thrown. */
    public Pass once() {
        Instant now = clock.instant();
        RunHistoryPruner.Removed removed = retention.runs() == null || !prunesHistory.getAsBoolean() ? new RunHistoryPruner.Removed(0, 0, 0, 0)
                : history.endedBefore(now.minus(retention.runs()));
        int files;
        try {
            files = retention.logs() == null ? 0 : logs.lastWrittenBefore(now.minus(retention.logs()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Pass(removed, files);
    }

    @Override
    public void run() {
        try {
            Pass pass = once();
            if (pass.nothing()) return;
            RunHistoryPruner.Removed h = pass.history();
            LOG.info("retention: removed {} run(s) with {} step(s) and {} deploy record(s), {} decided button(s), {} run log(s)",
                    h.runs(), h.steps(), h.deploys(), h.buttons(), pass.logFiles());
        } catch (RuntimeException e) {
            LOG.warn("retention: this pass did not finish, the next one tries again: {}", FailureText.of(e));
        }
    }
}
