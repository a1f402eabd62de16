package dev.opsbot.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When the answer to each command of the current load reached the chat (a message in its
 * channel, a private answer through its response URL or interaction), tied to its command by the
 * key the load gave it. Answers of an earlier load are ignored.
 */
final class Answers {
    private volatile String tag = "";
    private volatile AtomicLongArray at = new AtomicLongArray(0);
    private final AtomicInteger count = new AtomicInteger();

    synchronized void expect(String tag, int n) {
        this.at = new AtomicLongArray(n);
        this.count.set(0);
        this.tag = tag;
    }

    /** The index of the command of the current load that {@code key} names, or -1. */
    int index(String key) {
        String prefix = tag + "x";
        if (key == null || !key.startsWith(prefix)) return -1;
        try {
            return Integer.parseInt(key.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The key of command i of the current load (in a channel name, a response URL, a token). */
    String key(int i) {
        return tag + "x" + i;
    }

    void record(String key, long nanos) {
        record(index(key), nanos);
    }

    void record(int i, long nanos) {
        AtomicLongArray a = at;
        if (i >= 0 && i < a.length() && a.compareAndSet(i, 0, nanos)) count.incrementAndGet();
    }

    int count() {
        return count.get();
    }

    long at(int i) {
        return at.get(i);
    }
}
