package dev.opsbot.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load: request i is due at start + i / rate whatever happened to the ones before
 * (as Slack sends commands whether or not the bot keeps up). Latency runs from the moment a
 * request was due to the moment its whole response was read, so a late send counts against
 * the latency instead of hiding it.
 */
final class OpenLoop {
    /** Slack shows an error when an acknowledgement takes longer than this. */
    static final long SLACK_LIMIT_NANOS = Duration.ofMillis(3000).toNanos();

    /** @param busy acknowledged with the bot's "busy" answer instead of being run */
    record Outcome(int sent, double[] latencyMs, int failed, int tooSlow, double maxSendLagMs, long startNanos, long endNanos,
                   long[] dueNanos, int busy) {
        double p(double percentile) {
            return Stats.percentile(latencyMs, percentile);
        }

        double max() {
            return latencyMs.length == 0 ? Double.NaN : latencyMs[latencyMs.length - 1];
        }

        /** Failed (no answer, or not 200) plus answered after Slack's 3 s. */
        int errors() {
            return failed + tooSlow;
        }
    }

    private OpenLoop() {
    }

    /**
     * Sends {@code rate * duration} requests; {@code request.apply(i)} builds the i-th (built
     * beforehand, so building costs nothing during the run).
     */
    static Outcome run(HttpClient client, int rate, Duration duration, IntFunction<HttpRequest> request) throws InterruptedException {
        int n = (int) (rate * duration.toMillis() / 1000);
        HttpRequest[] requests = new HttpRequest[n];
        for (int i = 0; i < n; i++) requests[i] = request.apply(i);
        long[] due = new long[n];
        long[] took = new long[n];
        Arrays.fill(took, -1);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        double period = 1e9 / rate;
        long maxLag = 0;
        long start = System.nanoTime() + 20_000_000L;
        for (int i = 0; i < n; i++) {
            long when = start + (long) (i * period);
            due[i] = when;
            long wait;
            while ((wait = when - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
            maxLag = Math.max(maxLag, System.nanoTime() - when);
            final int k = i;
            client.sendAsync(requests[i], HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                long end = System.nanoTime();
                if (error != null || response.statusCode() != 200) {
                    failed.incrementAndGet();
                } else {
                    took[k] = end - due[k];
                    if (response.body().contains("is busy")) busy.incrementAndGet();
                }
                done.countDown();
            });
            requests[i] = null;
        }
        long end = System.nanoTime();
        if (!done.await(15, TimeUnit.SECONDS)) {
            // whatever has not answered by now has failed; count it once
            failed.addAndGet((int) done.getCount());
        }
        int tooSlow = 0;
        double[] ms = Arrays.stream(took).filter(t -> t >= 0).mapToDouble(t -> t / 1e6).sorted().toArray();
        for (long t : took) if (t > SLACK_LIMIT_NANOS) tooSlow++;
        return new Outcome(n, ms, failed.get(), tooSlow, maxLag / 1e6, start, end, due, busy.get());
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
