package dev.opsbot.core.engine;

import java.time.Instant;
import java.util.Objects;

/** One result of one health check of one service, as the health monitor hands it to the run changing that service. */
public record CheckResult(String service, String check, boolean ok, String output, Instant at) {
    public CheckResult {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(at, "at");
        output = output == null ? "" : output.strip();
    }
}
