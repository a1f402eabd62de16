package dev.opsbot.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.store.AlertRecord.State;
import dev.opsbot.core.store.AlertStore;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.telemetry.Telemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator's graphs show of one environment's alerts, read from a real H2 file as a
 * scrape would: open alerts by severity, the oldest one nobody acknowledged, the delay from the
 * engine's event to the message.
 */
@Timeout(30)
class AlertTelemetryTest {
    @TempDir
    Path dir;
    Database db;
    AlertStore store;
    final Instant t0 = Instant.parse("2024-05-01T10:00:00Z");
    /** A scrape 31 minutes after the first alert was raised. */
    final Clock clock = Clock.fixed(t0.plus(Duration.ofMinutes(31)), ZoneOffset.UTC);

    /** The gauges as registered, and the latencies and reconnects reported. */
    static final class Seen implements Telemetry {
        Supplier<Map<String, Integer>> open;
        Supplier<Map<String, Duration>> unacknowledged;
        final List<String> reported = new ArrayList<>();

        @Override
        public void alertsOpen(String environment, Supplier<Map<String, Integer>> bySeverity) {
            open = bySeverity;
        }

        @Override
        public void unacknowledgedAlertAge(String environment, Supplier<Map<String, Duration>> oldestBySeverity) {
            unacknowledged = oldestBySeverity;
        }

        @Override
        public void eventToAlert(String environment, Duration latency) {
            reported.add(environment + " latency " + latency);
        }

        @Override
        public void eventStreamReconnect(String environment) {
            reported.add(environment + " reconnect");
        }
    }

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("opsbot"));
        store = new AlertStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private AlertRecord alert(String service, Severity severity, State state, Instant raised, Long eventNanos) {
        return store.insert(new AlertRecord(0, "shop", service, "healthcheck", severity.label(), state, state != State.RESOLVED,
                raised.minusSeconds(30), eventNanos, raised, null, "unhealthy", 1, null, null,
                state == State.ACKNOWLEDGED ? "alice" : null, state == State.ACKNOWLEDGED ? raised : null, raised, raised,
                state == State.RESOLVED ? raised : null));
    }

    @Test
    void openAlertsAreCountedBySeverityAndTheOldestUnacknowledgedOneIsAgedSinceItWasRaised() {
        Seen seen = new Seen();
        new AlertTelemetry(seen, "prod", store, "shop", clock);
        assertEquals(Map.of("critical", 0, "warning", 0), seen.open.get(), "both severities, at zero, before any alert");
        assertEquals(Map.of(), seen.unacknowledged.get());

        alert("backend", Severity.CRITICAL, State.OPEN, t0, null);
        alert("worker", Severity.CRITICAL, State.OPEN, t0.plusSeconds(600), null);
        alert("web", Severity.CRITICAL, State.ACKNOWLEDGED, t0.minusSeconds(3600), null);
        alert("proxy", Severity.WARNING, State.ACKNOWLEDGED, t0, null);
        alert("cache", Severity.WARNING, State.RESOLVED, t0, null);

        assertEquals(Map.of("critical", 3, "warning", 1), seen.open.get());
        assertEquals(Map.of("critical", Duration.ofMinutes(31)), seen.unacknowledged.get(),
                "the oldest critical nobody acknowledged; no warning is unacknowledged");
    }

    @Test
    void theLatencyRunsFromTheEnginesEventElseFromWhenTheAlertWasRaisedAndReconnectsAreCounted() {
        Seen seen = new Seen();
        AlertTelemetry reported = new AlertTelemetry(seen, "prod", store, "shop", clock);
        long eventNanos = t0.getEpochSecond() * 1_000_000_000L + 250_000_000L;
        reported.posted(alert("backend", Severity.CRITICAL, State.OPEN, t0.plusSeconds(1), eventNanos), t0.plusSeconds(2));
        reported.posted(alert("api", Severity.CRITICAL, State.OPEN, t0, null), t0.plusMillis(400));
        reported.reconnected();

        assertEquals(List.of("prod latency PT1.75S", "prod latency PT0.4S", "prod reconnect"), seen.reported);
    }
}
