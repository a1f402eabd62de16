package dev.opsbot.core.retention;

import dev.opsbot.core.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs one bot's {@link RetentionJob}: a pass at start, then every {@link Retention#every()}, on
 * a thread of its own, so a long first pass over a big history never holds up button expiry or
 * the sweeps of the leader.
 */
public final class RetentionKeeper implements AutoCloseable {
    private final Database db;
    private final Path logDir;
    private final Clock clock;
    private final BooleanSupplier prunesHistory;
    private volatile Retention retention = Retention.DEFAULTS;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opsbot-retention");
        t.setDaemon(true);
        return t;
    });

    /** @param prunesHistory whether a pass may prune the shared run history now (replicas: only the leader) */
    public RetentionKeeper(Database db, Path logDir, Clock clock, BooleanSupplier prunesHistory) {
        this.db = db;
        this.logDir = logDir;
        this.clock = clock;
        this.prunesHistory = prunesHistory;
    }

    /** How long run history and run logs are kept; before {@link #start()} ({@link Retention#DEFAULTS} otherwise). */
    public void retain(Retention retention) {
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    public void start() {
        RetentionJob job = new RetentionJob(retention, db, logDir, clock, prunesHistory);
        thread.scheduleWithFixedDelay(job, 0, retention.every().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Not interrupted: a pass in the middle of a delete finishes (a moment) before the database closes. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
