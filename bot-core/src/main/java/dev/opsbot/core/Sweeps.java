package dev.opsbot.core;

import dev.opsbot.core.press.AbandonedRuns;
import dev.opsbot.core.press.ButtonExpiry;
import dev.opsbot.core.replica.Duty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The leader's sweeps: runs nobody runs any more are reported, buttons nobody pressed in time
 * expire. Runs left unfinished are reported before {@link #start()} returns (a bot alone reports
 * them as it starts); on a shared database other replicas may stop at any time, so their runs
 * are looked for every heartbeat, where on an H2 file the one look at start is enough.
 */
final class Sweeps implements Duty {
    private final AbandonedRuns abandoned;
    private final ButtonExpiry expiry;
    private final ScheduledExecutorService sweeper;
    private final Duration every;
    private final boolean shared;
    private volatile List<ScheduledFuture<?>> running = List.of();

    Sweeps(AbandonedRuns abandoned, ButtonExpiry expiry, ScheduledExecutorService sweeper, Duration every, boolean shared) {
        this.abandoned = abandoned;
        this.expiry = expiry;
        this.sweeper = sweeper;
        this.every = every;
        this.shared = shared;
    }

    @Override
    public String name() {
        return "reporting interrupted runs and expiring buttons";
    }

    @Override
    public void start() {
        abandoned.run();
        List<ScheduledFuture<?>> started = new ArrayList<>(List.of(sweeper.scheduleWithFixedDelay(expiry, 1, 1, TimeUnit.SECONDS)));
        if (shared) started.add(sweeper.scheduleWithFixedDelay(abandoned, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS));
        running = List.copyOf(started);
    }

    @Override
    public void stop() {
        running.forEach(sweep -> sweep.cancel(false));
        running = List.of();
    }
}
