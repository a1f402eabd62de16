package dev.opsbot.core.retention;

import java.time.Duration;

/**
 * How long the bot keeps what grows with every run: the run history (finished runs, their steps
 * and deploy records, decided buttons) and the run log files. Null keeps them for ever. Audit rows
 * are always kept, and what "last known good" needs outlives any period.
 */
public record Retention(Duration runs, Duration logs) {
    /**
     * The shortest period, for trying retention out (a soak): below about an hour a run's own
     * buttons (a rollback offer lasts 30 minutes) may outlive the run they point at.
     */
    public static final Duration SHORTEST = Duration.ofMinutes(1);
    private static final Duration HOURLY = Duration.ofHours(1);
    /** Three months of history to look back on, a month of full logs (each run's log is also attached to its message). */
    public static final Retention DEFAULTS = new Retention(Duration.ofDays(90), Duration.ofDays(30));

    public Retention {
        for (Duration d : new Duration[] {runs, logs}) {
            if (d != null && d.compareTo(SHORTEST) < 0) {
                throw new IllegalArgumentException("a retention period is at least a minute, not " + d);
            }
        }
    }

    /** Keeps everything. */
    public static Retention forever() {
        return new Retention(null, null);
    }

    /** How often the job looks: hourly, or every twelfth of the shorter period when that is under half a day. */
    public Duration every() {
        Duration shortest = runs == null ? logs : logs == null ? runs : runs.compareTo(logs) <= 0 ? runs : logs;
        if (shortest == null) return HOURLY;
        Duration twelfth = shortest.dividedBy(12);
        return twelfth.compareTo(HOURLY) < 0 ? twelfth : HOURLY;
    }
}
