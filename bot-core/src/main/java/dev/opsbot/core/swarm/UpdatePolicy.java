package dev.opsbot.core.swarm;

import java.time.Duration;
import java.util.Objects;

/**
 * How a rolling update proceeds (a stack's {@code deploy.update_config}, or the runbook's):
 * {@code parallelism} tasks at a time ({@code 0} = all at once), {@code delay} between batches,
 * and a task that fails within {@code monitor} of starting makes the update {@code onFailure}.
 * The rollback the engine performs uses the same pace and pauses if it fails itself.
 */
public record UpdatePolicy(int parallelism, Duration delay, FailureAction onFailure, Duration monitor) {

    /** What the engine does when an updated task fails: go back to the previous spec, or stop where it is. */
    public enum FailureAction {
        ROLLBACK, PAUSE
    }

    /** One task at a time, 5 s apart, rolled back when a task fails within 10 s. */
    public static final UpdatePolicy DEFAULT = new UpdatePolicy(1, Duration.ofSeconds(5), FailureAction.ROLLBACK, Duration.ofSeconds(10));

    public UpdatePolicy {
        if (parallelism < 0) throw new IllegalArgumentException("parallelism must be 0 (all at once) or more, not " + parallelism);
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(monitor, "monitor");
        if (delay.isNegative() || monitor.isNegative()) throw new IllegalArgumentException("delay and monitor cannot be negative");
    }
}
