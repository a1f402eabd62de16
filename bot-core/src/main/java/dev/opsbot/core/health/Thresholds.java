package dev.opsbot.core.health;

/** A check is failing after {@code failAfter} failures in a row, and recovered after {@code recoverAfter} successes. */
public record Thresholds(int failAfter, int recoverAfter) {
    public static final Thresholds DEFAULT = new Thresholds(3, 2);
    /** Docker counts retries itself before it reports a container unhealthy. */
    public static final Thresholds IMMEDIATE = new Thresholds(1, 1);

    public Thresholds {
        if (failAfter < 1 || recoverAfter < 1) {
            throw new IllegalArgumentException("fail-after and recover-after must be at least 1");
        }
    }
}
