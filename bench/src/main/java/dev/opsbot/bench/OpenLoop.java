package dev.opsbot.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load: command i is due at start + i / rate whatever happened to the ones before
 * (as Slack and Discord send commands whether or not the bot keeps up). Latency runs from the
 * moment a command was due to the moment its acknowledgement arrived, so a late send counts
 * against the latency instead of hiding it.
 */
final class OpenLoop {
    /** Slack shows an error when an acknowledgement takes longer than this (Discord's limit is the same). */
    static final long SLACK_LIMIT_NANOS = Duration.ofMillis(3000).toNanos();
    private static final long WAIT_FOR_ACKS_NANOS = Duration.ofSeconds(15).toNanos();

    /** @param busy acknowledged with the bot's "busy" answer instead of being run */
    record Outcome(int sent, double[] latencyMs, int failed, int tooSlow, double maxSendLagMs, long startNanos, long endNanos,
                   long[] dueNanos, int busy) {
        double p(double percentile) {
            return Stats.percentile(latencyMs, percentile);
        }

        double max() {
            return latencyMs.length == 0 ? Double.NaN : latencyMs[latencyMs.length - 1];
        }

        /** Failed (no acknowledgement, or a refused one) plus acknowledged after the platform's 3 s. */
        int errors() {
            return failed + tooSlow;
        }
    }

    private OpenLoop() {
    }

    /**
     * Sends the {@code acks.size()} prepared commands of {@code path}, {@code path.send(i)} at the
     * i-th due time (it returns at once: the command's acknowledgement arrives in {@code acks}),
     * then waits for every acknowledgement or 15 s.
     */
    static Outcome run(int rate, InboundPath path, Acks acks) throws InterruptedException {
        int n = acks.size();
        long[] due = new long[n];
        double period = 1e9 / rate;
        long maxLag = 0;
        long start = System.nanoTime() + 20_000_000L;
        for (int i = 0; i < n; i++) {
            long when = start + (long) (i * period);
            due[i] = when;
            acks.due(i, when);
            long wait;
            while ((wait = when - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            maxLag = Math.max(maxLag, System.nanoTime() - when);
            path.send(i);
        }
        long end = System.nanoTime();
        long until = System.nanoTime() + WAIT_FOR_ACKS_NANOS;
        do {
            path.refresh();
        } while (!acks.await(50, TimeUnit.MILLISECONDS) && System.nanoTime() < until);
        int failed = 0;
        int tooSlow = 0;
        int busy = 0;
        double[] ms = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            long at = acks.at(i);
            if (at <= 0 || acks.refused(i)) {
                // no acknowledgement within the wait, or one that was not 200: counted once
                failed++;
                continue;
            }
            long took = at - due[i];
            ms[k++] = took / 1e6;
            if (took > SLACK_LIMIT_NANOS) tooSlow++;
            if (acks.busy(i)) busy++;
        }
        ms = Arrays.copyOf(ms, k);
        Arrays.sort(ms);
        return new Outcome(n, ms, failed, tooSlow, maxLag / 1e6, start, end, due, busy);
    }
}
