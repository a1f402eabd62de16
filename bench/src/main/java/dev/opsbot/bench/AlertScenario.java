package dev.opsbot.bench;

import dev.opsbot.core.health.ContainerWatch;
import dev.opsbot.core.stream.OutputSink;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Alert latency: a service whose healthcheck passes while a file exists is made to fail again
 * and again; each time, the time from the engine's {@code health_status: unhealthy} event (its
 * own timestamp) to the alert arriving at the fake Slack Web API. The bot is {@code ./opsbot run}
 * with the Slack adapter and a {@code monitor:} section that sends alerts to one channel.
 */
final class AlertScenario implements Scenario {
    private static final String CHANNEL = "CALERTS";
    private static final String SERVICE = "app";
    /** Longer than the flapping window below, so every failure is a new alert rather than a reopened one. */
    private static final Duration BETWEEN = Duration.ofMillis(1500);

    @Override
    public String id() {
        return "alerts";
    }

    @Override
    public String title() {
        return "Alert latency: Docker's unhealthy event to the alert at the chat API";
    }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        Figure p50 = results.figure(id(), "alert latency p50", "ms", "< 500 ms", v -> v < 500);
        Figure p99 = results.figure(id(), "alert latency p99", "ms", "< 2000 ms", v -> v < 2000);
        Figure max = results.figure(id(), "alert latency max", "ms");
        Figure missed = results.figure(id(), "failures without an alert", "", "0", v -> v == 0);
        int failures = ctx.options().quick() ? 3 : 20;
        String compose = """
                services:
                  %s:
                    image: 127.0.0.1:5000/opsbot-demo/worker:sha-1a2b3c4
                    init: true
                    command: ["/bin/sh", "-c", "touch /tmp/ok; exec sleep 1000000"]
                    healthcheck:
                      test: ["CMD", "test", "-f", "/tmp/ok"]
                      interval: 200ms
                      timeout: 1s
                      retries: 1
                """.formatted(SERVICE);
        try (BenchStack stack = BenchStack.of(ctx.docker(), ctx.folder("alerts"), "alerts", compose)) {
            stack.up();
            stack.awaitHealthy(Duration.ofSeconds(30));
            for (int run = 1; run <= ctx.options().runs(); run++) {
                List<Double> latencies = new ArrayList<>();
                int lost = oneRun(ctx, stack, run, failures, latencies);
                double[] sorted = Stats.sorted(latencies);
                p50.add(Stats.percentile(sorted, 50));
                p99.add(Stats.percentile(sorted, 99));
                max.add(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
                missed.add(lost);
                ctx.say(String.format(Locale.ROOT, "run %d: %d failures, p50 %.0f ms, p99 %.0f ms, max %.0f ms, %d without an alert",
                        run, failures, Stats.percentile(sorted, 50), Stats.percentile(sorted, 99),
                        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], lost));
            }
        }
        results.note(id(), "Each run is a fresh `./opsbot run` (Slack HTTP mode against the local fake, a `monitor:` section sending "
                + "critical alerts to one channel, flapping off) watching a one-service stack whose Docker healthcheck "
                + "(`test -f /tmp/ok`, every 200 ms, 1 retry) the harness breaks " + failures + " times per run by removing the "
                + "file, and mends again once the alert arrived. Latency is from the `health_status: unhealthy` event's own "
                + "timestamp (the harness follows the engine's event stream too) to the Web API call that posts the alert; "
                + "both clocks are this machine's.");
    }

    /** One bot process; returns how many failures got no alert within 10 s. */
    private int oneRun(Context ctx, BenchStack stack, int run, int failures, List<Double> latencies) throws Exception {
        Path dir = ctx.folder("alerts-run" + run);
        Path config = dir.resolve("opsbot.yml");
        Files.writeString(config, """
                monitor:
                  renotify: 1h
                  flapping: {count: 1000, window: 1s}
                  channels:
                    critical: ["slack:%s"]
                """.formatted(CHANNEL));
        int lost = 0;
        // Call times are the harness's nanoTime; Docker's are epoch nanoseconds: one offset turns one into the other.
        long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        try (FakeSlackApi slack = new FakeSlackApi(dir.resolve("uploads"));
             UnhealthyEvents events = new UnhealthyEvents(ctx, stack.project())) {
            BlockingQueue<FakeSlackApi.Call> alerts = new LinkedBlockingQueue<>();
            slack.onCall(c -> {
                if (CHANNEL.equals(c.channel()) && c.text() != null && c.text().contains("Failing: " + SERVICE)
                        && (c.method().equals("chat.postMessage") || c.method().equals("chat.update"))) {
                    alerts.add(c);
                }
            });
            Map<String, String> env = new LinkedHashMap<>(BotEnv.stack(stack, dir.resolve("data"), BotEnv.repoRunbooks()));
            env.putAll(BotEnv.slack(slack, UUID.randomUUID().toString().replace("-", ""), AckScenario.freePort()));
            try (BotProcess bot = BotProcess.start(List.of("run", "--config", config.toString()), env, dir.resolve("bot.log"))) {
                bot.awaitReady(Duration.ofSeconds(60));
                Thread.sleep(1000); // the monitor has read the current state
                for (int i = 0; i < failures; i++) {
                    alerts.clear();
                    events.clear();
                    shell(ctx, stack, "rm -f /tmp/ok");
                    Long eventNanos = events.next(Duration.ofSeconds(10));
                    if (eventNanos == null) throw new IllegalStateException("Docker reported no unhealthy event within 10 s");
                    FakeSlackApi.Call alert = alerts.poll(10, TimeUnit.SECONDS);
                    if (alert == null) {
                        lost++;
                    } else {
                        latencies.add((alert.atNanos() + epochOffset - eventNanos) / 1e6);
                    }
                    shell(ctx, stack, "touch /tmp/ok");
                    stack.awaitHealthy(Duration.ofSeconds(10));
                    Thread.sleep(BETWEEN.toMillis());
                }
            }
        }
        return lost;
    }

    private static void shell(Context ctx, BenchStack stack, String command) {
        int code = ctx.docker().exec(stack.load(), SERVICE, List.of("/bin/sh", "-c", command), OutputSink.NONE, Duration.ofSeconds(10));
        if (code != 0) throw new IllegalStateException(command + " exited " + code);
    }

    /** The engine's {@code health_status: unhealthy} events for the project, with their timestamps. */
    private static final class UnhealthyEvents implements Closeable {
        private final BlockingQueue<Long> times = new LinkedBlockingQueue<>();
        private final ContainerWatch.EventStream stream;

        UnhealthyEvents(Context ctx, String project) throws InterruptedException {
            stream = ctx.engine().watch().events(project, 0, e -> {
                if (e.action().endsWith("unhealthy")) times.add(e.timeNanos());
            });
        }

        void clear() {
            times.clear();
        }

        Long next(Duration timeout) throws InterruptedException {
            return times.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
