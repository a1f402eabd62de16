package dev.opsbot.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each command of one load was acknowledged, as the platform's side saw it (the HTTP
 * response, the Socket Mode envelope's acknowledgement, Discord's interaction callback), and
 * whether the acknowledgement said the bot was busy. Filled from the fakes' threads.
 */
final class Acks {
    private static final int OK = 1;
    private static final int BUSY = 2;
    private static final int REFUSED = 3;

    private final AtomicLongArray at;
    private final AtomicLongArray due;
    private final AtomicIntegerArray kind;
    private final CountDownLatch all;

    Acks(int n) {
        this.at = new AtomicLongArray(n);
        this.due = new AtomicLongArray(n);
        this.kind = new AtomicIntegerArray(n);
        this.all = new CountDownLatch(n);
    }

    int size() {
        return at.length();
    }

    void due(int i, long nanos) {
        due.set(i, nanos);
    }

    /** When command i was due to be sent (0 before it was). */
    long dueAt(int i) {
        return due.get(i);
    }

    /** Command i was acknowledged at {@code nanos}; {@code busy} when the acknowledgement turned it away. */
    void acknowledged(int i, long nanos, boolean busy) {
        record(i, nanos, busy ? BUSY : OK);
    }

    /** Command i got an answer that is not an acknowledgement (an HTTP error, a failed send). */
    void refused(int i, long nanos) {
        record(i, nanos, REFUSED);
    }

    /** A busy answer that came after the acknowledgement (Discord says it privately): command i was turned away. */
    void turnedAway(int i) {
        kind.compareAndSet(i, OK, BUSY);
    }

    private void record(int i, long nanos, int what) {
        if (i < 0 || i >= at.length()) return;
        if (at.compareAndSet(i, 0, nanos)) {
            kind.set(i, what);
            all.countDown();
        }
    }

    /** True once every command was acknowledged or refused. */
    boolean await(long time, TimeUnit unit) throws InterruptedException {
        return all.await(time, unit);
    }

    long at(int i) {
        return at.get(i);
    }

    boolean busy(int i) {
        return kind.get(i) == BUSY;
    }

    boolean refused(int i) {
        return kind.get(i) == REFUSED;
    }
}
