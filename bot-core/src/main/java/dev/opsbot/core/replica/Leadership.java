package dev.opsbot.core.replica;

import dev.opsbot.core.store.LeaseStore;
import dev.opsbot.core.telemetry.LogContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replica of an environment does what must happen once ({@link Duty}): the one holding the
 * environment's lease in the database. Every replica tries to take the lease every third of its
 * length; the holder renews it as often, and runs the duties while it holds it.
 *
 * <p>Why another replica never starts the duties while the old leader still runs them: a renewal
 * sent at {@code t} (this process's monotonic clock) and answered sets the lease's expiry to the
 * database's time when it ran plus the lease's length, which is no earlier than {@code t + ttl}. The
 * leader stops its duties at {@code t + 2/3 ttl} unless a later renewal succeeded, counted from the
 * sending so a slow answer never buys time. Another replica can take the lease only once the
 * database's clock passes the expiry, so the old leader has stopped at least a third of the lease
 * earlier (5 s by default): time for its duties to wind down, and for the two clocks' rates to
 * differ. Nothing compares the two clocks' readings. A database only this process can open (an H2
 * file) holds only leases of processes that are gone: the lease is taken over at once.
 */
public final class Leadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** The one lease of an environment: each environment's database (schema) has its own. */
    public static final String LEASE = "duties";

    /** What this replica knows: whether it leads, since when (the database's clock), and who led when it last looked. */
    public record State(boolean leading, Instant since, String leader, long fencing) {
        static final State UNKNOWN = new State(false, null, null, 0);
    }

    private final LeaseStore leases;
    private final ReplicaSettings settings;
    private final boolean exclusive;
    private final String environment;
    private final List<Duty> duties = new ArrayList<>();
    private final Object lock = new Object();
    private final ScheduledExecutorService timers;
    /** Guarded by {@link #lock}. */
    private boolean leading;
    private long fencing;
    private long deadlineNanos;
    private volatile State state = State.UNKNOWN;
    private volatile boolean closed;
    private volatile boolean unreachable;

    /**
     * @param exclusive the database can be opened by this process only (an H2 file): leases found there are left by gone processes
     * @param environment the environment's name, for the log
     */
    public Leadership(LeaseStore leases, ReplicaSettings settings, boolean exclusive, String environment) {
        this.leases = leases;
        this.settings = settings;
        this.exclusive = exclusive;
        this.environment = environment;
        this.timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(() -> {
                try (LogContext context = LogContext.put(LogContext.ENVIRONMENT, environment)) {
                    r.run();
                }
            }, "opsbot-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /** Adds a duty, run while this replica leads; call before {@link #start()}. Duties start in the order added and stop in reverse. */
    public Leadership add(Duty duty) {
        synchronized (lock) {
            duties.add(Objects.requireNonNull(duty, "duty"));
        }
        return this;
    }

    /** Tries to lead now (on the caller's thread: a replica alone leads before this returns), then keeps trying and renewing. */
    public void start() {
        long watchEvery = Math.max(20, Math.min(250, settings.renewEvery().toMillis() / 4));
        attempt();
        timers.scheduleWithFixedDelay(this::watch, watchEvery, watchEvery, TimeUnit.MILLISECONDS);
    }

    public State state() {
        return state;
    }

    public boolean leading() {
        return state.leading();
    }

    public String replica() {
        return settings.id();
    }

    /** Claims or renews the lease, then schedules the next try: sooner after a failure, while a renewal may still save the lead. */
    private void attempt() {
        if (closed) return;
        long sent = System.nanoTime();
        Duration next = settings.renewEvery();
        try {
            LeaseStore.Claim claim = leases.claim(LEASE, settings.id(), settings.leaseTtl(), exclusive);
            if (unreachable) LOG.info("the database answers again");
            unreachable = false;
            settle(claim, sent);
        } catch (RuntimeException e) {
            if (!unreachable) LOG.warn("the lease of {} cannot be claimed or renewed: {}", environment, e.getMessage());
            unreachable = true;
            next = settings.renewEvery().dividedBy(5);
        }
        try {
            if (!closed) timers.schedule(this::attempt, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void settle(LeaseStore.Claim claim, long sentNanos) {
        LeaseStore.Lease lease = claim.lease();
        synchronized (lock) {
            if (closed) return;
            if (!claim.ours()) {
                if (leading) stepDown("replica " + lease.holder() + " holds the lease now");
                if (!Objects.equals(state.leader(), lease.holder())) LOG.info("replica {} leads {}", lease.holder(), environment);
                state = new State(false, null, lease.holder(), lease.fencing());
                return;
            }
            long deadline = sentNanos + settings.stepDownAfter().toNanos();
            if (leading && lease.fencing() != fencing) stepDown("the lease changed hands meanwhile (fencing " + lease.fencing() + ")");
            if (System.nanoTime() >= deadline) {
                // Answered too late to count: the lease may have expired before the answer came.
                if (leading) stepDown("the renewal took longer than " + settings.stepDownAfter().toMillis() + " ms");
                return;
            }
            deadlineNanos = deadline;
            if (!leading) stepUp(lease);
        }
    }

    /** Stops the duties once the last renewal is too old, whether or not the database ever answers again. */
    private void watch() {
        synchronized (lock) {
            if (leading && System.nanoTime() >= deadlineNanos) {
                stepDown("no renewal for " + settings.stepDownAfter().toMillis() + " ms");
            }
        }
    }

    private void stepUp(LeaseStore.Lease lease) {
        leading = true;
        fencing = lease.fencing();
        state = new State(true, lease.since(), settings.id(), lease.fencing());
        LOG.info("replica {} leads {} (fencing {}): starting {}", settings.id(), environment, fencing,
                duties.stream().map(Duty::name).toList());
        for (Duty duty : duties) {
            try {
                duty.start();
            } catch (RuntimeException e) {
                LOG.warn("the duty {} did not start: {}", duty.name(), e.toString());
            }
        }
    }

    private void stepDown(String why) {
        leading = false;
        state = new State(false, null, null, fencing);
        if (closed) {
            LOG.info("replica {} stops leading {}: stopping its duties", settings.id(), environment);
        } else {
            LOG.warn("replica {} no longer leads {} ({}): stopping its duties", settings.id(), environment, why);
        }
        List<Duty> reversed = new ArrayList<>(duties);
        Collections.reverse(reversed);
        for (Duty duty : reversed) {
            try {
                duty.stop();
            } catch (RuntimeException e) {
                LOG.warn("the duty {} did not stop cleanly: {}", duty.name(), e.toString());
            }
        }
    }

    /**
     * Stops leading for good: the duties stop, then the lease is let go, so another replica takes
     * it at its next try instead of when it would have expired.
     */
    public void stop() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            if (leading) stepDown("this replica is stopping");
        }
        timers.shutdownNow();
        try {
            timers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            leases.release(LEASE, settings.id());
        } catch (RuntimeException e) {
            LOG.debug("the lease could not be let go (it expires by itself): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
    }
}
