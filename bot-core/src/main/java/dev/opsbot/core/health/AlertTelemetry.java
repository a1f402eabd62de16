package dev.opsbot.core.health;

import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.store.AlertStore;
import dev.opsbot.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one environment's monitor reports for graphs and alerting rules: its open alerts by
 * severity and the age of the oldest one nobody acknowledged (read from the store at each
 * scrape), the time from the engine's event to an alert's message, and event stream reconnects.
 */
final class AlertTelemetry {
    private final Telemetry telemetry;
    private final String environment;

    AlertTelemetry(Telemetry telemetry, String environment, AlertStore store, String stack, Clock clock) {
        this.telemetry = telemetry;
        this.environment = environment;
        telemetry.alertsOpen(environment, () -> {
            Map<String, Integer> bySeverity = new TreeMap<>();
            for (Severity s : Severity.values()) bySeverity.put(s.label(), 0);
            for (AlertRecord a : store.open(stack)) bySeverity.merge(a.severity(), 1, Integer::sum);
            return bySeverity;
        });
        telemetry.unacknowledgedAlertAge(environment, () -> {
            Map<String, Duration> oldest = new TreeMap<>();
            Instant now = clock.instant();
            for (AlertRecord a : store.open(stack)) {
                if (!a.acknowledged()) oldest.merge(a.severity(), since(openedAt(a), now), (x, y) -> x.compareTo(y) >= 0 ? x : y);
            }
            return oldest;
        });
    }

    /** The alert's first message went out at {@code at}: measured from the Docker event, else from when the check failed enough. */
    void posted(AlertRecord a, Instant at) {
        Instant from = a.eventTimeNanos() != null ? Instant.ofEpochSecond(0, a.eventTimeNanos()) : a.detectedAt();
        if (from != null) telemetry.eventToAlert(environment, since(from, at));
    }

    void reconnected() {
        telemetry.eventStreamReconnect(environment);
    }

    private static Instant openedAt(AlertRecord a) {
        return a.detectedAt() != null ? a.detectedAt() : a.since();
    }

    private static Duration since(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Duration.ZERO : d;
    }
}
