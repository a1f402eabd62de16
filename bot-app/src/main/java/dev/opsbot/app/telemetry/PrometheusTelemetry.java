package dev.opsbot.app.telemetry;

import dev.opsbot.core.telemetry.Telemetry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's {@link Telemetry} as Prometheus metrics, in a registry of its own (never the
 * library's default one), written in the text format at each scrape. docs/monitoring.md lists
 * every metric.
 */
public final class PrometheusTelemetry implements Telemetry {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusTelemetry.class);
    /** From a few milliseconds (an acknowledgement) to ten seconds. */
    private static final double[] SHORT = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** From a second (a step) to an hour (a slow deploy). */
    private static final double[] LONG = {1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};
    private static final List<String> RESULTS = List.of("succeeded", "failed", "cancelled", "interrupted");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    // Without exemplars: the bot has no tracer whose span they would name, and sampling them scheduled a
    // task on the library's own thread for most observations (a wake-up each, 0.05 ms of every command).
    private final Counter commands = Counter.builder().name("opsbot_commands_total")
            .help("Commands answered, by verb and outcome (ok, usage, refused, busy, failed)")
            .labelNames("verb", "outcome").withoutExemplars().register(registry);
    private final Histogram acknowledgements = Histogram.builder().name("opsbot_chat_ack_seconds")
            .help("Time from a chat event reaching the adapter to its acknowledgement, by platform")
            .labelNames("platform").classicOnly().classicUpperBounds(SHORT).withoutExemplars().register(registry);
    private final Counter runs = Counter.builder().name("opsbot_runs_total")
            .help("Runs ended, by runbook and result (succeeded, failed, cancelled, interrupted)")
            .labelNames("runbook", "result").withoutExemplars().register(registry);
    private final Histogram runDurations = Histogram.builder().name("opsbot_run_duration_seconds")
            .help("How long runs took, by runbook and result")
            .labelNames("runbook", "result").classicOnly().classicUpperBounds(LONG).withoutExemplars().register(registry);
    private final Histogram stepDurations = Histogram.builder().name("opsbot_step_duration_seconds")
            .help("How long steps took, by step kind and result")
            .labelNames("kind", "result").classicOnly().classicUpperBounds(LONG).withoutExemplars().register(registry);
    private final Histogram alertLatency = Histogram.builder().name("opsbot_alert_latency_seconds")
            .help("Time from the Docker event (or probe result) to the alert in its channel, by environment")
            .labelNames("environment").classicOnly().classicUpperBounds(SHORT).withoutExemplars().register(registry);
    private final Counter eventStreamReconnects = Counter.builder().name("opsbot_docker_event_stream_reconnects_total")
            .help("Times the Docker event stream was lost and opened again, by environment")
            .labelNames("environment").withoutExemplars().register(registry);
    private final Counter chatCalls = Counter.builder().name("opsbot_chat_api_calls_total")
            .help("Calls to a chat platform's API, by platform, method and outcome (ok, error, rate_limited)")
            .labelNames("platform", "method", "outcome").withoutExemplars().register(registry);
    private final Counter rateLimitWaits = Counter.builder().name("opsbot_chat_rate_limit_wait_seconds_total")
            .help("Seconds chat API calls waited because the platform asked (HTTP 429), by platform and method")
            .labelNames("platform", "method").withoutExemplars().register(registry);

    private record Source<T>(String environment, String kind, T supplier) { }

    private final List<Source<IntSupplier>> waiting = new CopyOnWriteArrayList<>();
    private final List<Source<IntSupplier>> locks = new CopyOnWriteArrayList<>();
    private final List<Source<Supplier<Map<String, Integer>>>> alerts = new CopyOnWriteArrayList<>();
    private final List<Source<Supplier<Map<String, Duration>>>> unacknowledged = new CopyOnWriteArrayList<>();
    private final List<Source<Supplier<Optional<Instant>>>> leading = new CopyOnWriteArrayList<>();
    private final AtomicReference<Supplier<Map<String, Boolean>>> readiness = new AtomicReference<>(Map::of);

    public PrometheusTelemetry(BuildInfo build) {
        Info.builder().name("opsbot_build_info").help("The running release").labelNames("version")
                .register(registry).addLabelValues(build.version());
        GaugeWithCallback.builder().name("opsbot_pending_buttons")
                .help("Confirmations and approvals waiting for a decision, by environment and kind")
                .labelNames("environment", "kind")
                .callback(cb -> waiting.forEach(s -> read(() -> cb.call(s.supplier().getAsInt(), s.environment(), s.kind()))))
                .register(registry);
        GaugeWithCallback.builder().name("opsbot_deploy_locks_held")
                .help("Deploy locks held, by environment")
                .labelNames("environment")
                .callback(cb -> locks.forEach(s -> read(() -> cb.call(s.supplier().getAsInt(), s.environment()))))
                .register(registry);
        GaugeWithCallback.builder().name("opsbot_alerts_open")
                .help("Open health alerts, by environment and severity")
                .labelNames("environment", "severity")
                .callback(cb -> alerts.forEach(s -> read(() ->
                        s.supplier().get().forEach((severity, n) -> cb.call(n, s.environment(), severity)))))
                .register(registry);
        GaugeWithCallback.builder().name("opsbot_alert_oldest_unacknowledged_seconds")
                .help("Age of the oldest open alert nobody acknowledged, by environment and severity")
                .labelNames("environment", "severity")
                .callback(cb -> unacknowledged.forEach(s -> read(() -> s.supplier().get().forEach((severity, age) ->
                        cb.call(seconds(age), s.environment(), severity)))))
                .register(registry);
        GaugeWithCallback.builder().name("opsbot_leader")
                .help("1 while this replica leads the environment (watches health, expires buttons, reports interrupted runs), else 0")
                .labelNames("environment")
                .callback(cb -> leading.forEach(s -> read(() -> cb.call(s.supplier().get().isPresent() ? 1 : 0, s.environment()))))
                .register(registry);
        GaugeWithCallback.builder().name("opsbot_leader_since_seconds")
                .help("When this replica became the environment's leader (Unix time, the database's clock); absent while it follows")
                .labelNames("environment")
                .callback(cb -> leading.forEach(s -> read(() -> s.supplier().get().ifPresent(since ->
                        cb.call(since.toEpochMilli() / 1000.0, s.environment())))))
                .register(registry);
        GaugeWithCallback.builder().name("opsbot_ready")
                .help("1 when a part the bot needs answers (a database, an engine, a chat connection), else 0; as /readyz")
                .labelNames("part")
                .callback(cb -> readiness.get().get().forEach((part, ready) -> cb.call(ready ? 1 : 0, part)))
                .register(registry);
        JvmMetrics.builder().register(registry);
    }

    /**
     * Reads one source of a gauge at a scrape. A source that cannot be read now (its database is
     * closing, or busy) is left out of this scrape rather than failing the others.
     */
    private static void read(Runnable source) {
        try {
            source.run();
        } catch (RuntimeException e) {
            LOG.debug("a gauge could not be read for this scrape: {}", e.toString());
        }
    }

    /** Where {@code opsbot_ready} comes from: each part of readiness and whether it is ready. */
    public void readiness(Supplier<Map<String, Boolean>> parts) {
        readiness.set(parts);
    }

    /** Writes every metric in Prometheus' text format. */
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    public String contentType() {
        return writer.getContentType();
    }

    @Override
    public void commandAnswered(String verb, String outcome) {
        commands.labelValues(verb, outcome).inc();
    }

    @Override
    public void commandAcknowledged(String platform, Duration latency) {
        acknowledgements.labelValues(platform).observe(seconds(latency));
    }

    @Override
    public void runFinished(String runbook, String result, Duration duration) {
        runs.labelValues(runbook, result).inc();
        runDurations.labelValues(runbook, result).observe(seconds(duration));
    }

    @Override
    public void runbooksServed(Collection<String> runbooks) {
        for (String runbook : runbooks) {
            for (String result : RESULTS) runs.labelValues(runbook, result);
        }
    }

    @Override
    public void stepFinished(String kind, String result, Duration duration) {
        stepDurations.labelValues(kind, result).observe(seconds(duration));
    }

    @Override
    public void waiting(String environment, String kind, IntSupplier count) {
        waiting.add(new Source<>(environment, kind, count));
    }

    @Override
    public void locksHeld(String environment, IntSupplier count) {
        locks.add(new Source<>(environment, "", count));
    }

    @Override
    public void leadership(String environment, Supplier<Optional<Instant>> leadingSince) {
        leading.add(new Source<>(environment, "", leadingSince));
    }

    @Override
    public void alertsOpen(String environment, Supplier<Map<String, Integer>> bySeverity) {
        alerts.add(new Source<>(environment, "", bySeverity));
    }

    @Override
    public void unacknowledgedAlertAge(String environment, Supplier<Map<String, Duration>> oldestBySeverity) {
        unacknowledged.add(new Source<>(environment, "", oldestBySeverity));
    }

    @Override
    public void eventToAlert(String environment, Duration latency) {
        alertLatency.labelValues(environment).observe(seconds(latency));
    }

    @Override
    public void eventStreamReconnect(String environment) {
        eventStreamReconnects.labelValues(environment).inc();
    }

    @Override
    public void chatCall(String platform, String method, String outcome) {
        chatCalls.labelValues(platform, method, outcome).inc();
    }

    @Override
    public void rateLimitWait(String platform, String method, Duration waited) {
        rateLimitWaits.labelValues(platform, method).inc(seconds(waited));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
