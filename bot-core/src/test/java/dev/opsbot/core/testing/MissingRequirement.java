package dev.opsbot.core.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when something it needs from the machine is not there (a Docker engine, the
 * local registry, PostgreSQL, Prometheus): skipped with a message saying what to do, or failed
 * under {@code OPSBOT_REQUIRE_DOCKER=1} (CI, where everything must run).
 */
public final class MissingRequirement {
    private MissingRequirement() {
    }

    /** Skips the test, or fails it under {@code OPSBOT_REQUIRE_DOCKER=1}; never returns. */
    public static void skipOrFail(String message) {
        if ("1".equals(System.getenv("OPSBOT_REQUIRE_DOCKER"))) Assertions.fail(message);
        Assumptions.abort(message);
    }
}
