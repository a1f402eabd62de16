package dev.opsbot.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps {@code chat.update} of one message to at most one call per interval, in the order the
 * calls came. A caller waits its turn on its own thread; an update overtaken by a newer one for the
 * same message while it waited is skipped, since the newer one carries the newer content.
 */
final class UpdatePacer {

    private final long intervalNanos;
    private final Cache<String, Gate> gates = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(30))
            // Housekeeping on the caller's thread, not handed to the common pool for each update.
            .executor(Runnable::run)
            .build();

    UpdatePacer(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Runs {@code send} for {@code messageKey} once its turn comes; false when a newer update replaced it. */
    boolean run(String messageKey, Runnable send) {
        Gate gate = gates.get(messageKey, k -> new Gate());
        long ticket = gate.latest.incrementAndGet();
        gate.lock.lock();
        try {
            if (gate.latest.get() != ticket) return false;
            long waitNanos = gate.lastSentNanos + intervalNanos - System.nanoTime();
            if (gate.sentBefore && waitNanos > 0) {
                try {
                    Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SlackCallException("chat.update", "interrupted while pacing updates", e);
                }
                if (gate.latest.get() != ticket) return false;
            }
            try {
                send.run();
            } finally {
                gate.sentBefore = true;
                gate.lastSentNanos = System.nanoTime();
            }
            return true;
        } finally {
            gate.lock.unlock();
        }
    }

    private static final class Gate {
        final ReentrantLock lock = new ReentrantLock(true);
        final AtomicLong latest = new AtomicLong();
        boolean sentBefore;
        long lastSentNanos;
    }
}
