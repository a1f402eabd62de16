package dev.opsbot.core.health;

import java.time.Instant;
import java.util.Objects;

/**
 * One result of one check: passing or failing, what it printed (already redacted), when, and
 * the Docker event time behind it (null for probes and for state read back from the engine).
 */
public record Observation(String service, String check, boolean ok, String output, Instant at, Long eventTimeNanos,
                         Severity severity, Thresholds thresholds) {
    /** The check of a service's own Docker healthcheck. */
    public static final String HEALTHCHECK = "healthcheck";
    /** The check of a service's container: running, died, killed for memory. */
    public static final String CONTAINER = "container";

    public Observation {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(at, "at");
        output = output == null ? "" : output.strip();
        severity = severity == null ? Severity.CRITICAL : severity;
        thresholds = thresholds == null ? Thresholds.IMMEDIATE : thresholds;
    }
}
