package dev.opsbot.core.health;

/**
 * A container's state as {@code docker inspect} tells it: its status ("running", "paused",
 * "restarting", "exited"), the exit code of its last process, whether the kernel killed it for
 * memory, how often its restart policy restarted it, and its healthcheck ("healthy", "unhealthy",
 * "starting", "" without one) with the failures in a row and the last result ("exit 1: …").
 * Docker reports a paused container, or one just unpaused, unhealthy with no failure in a row:
 * its healthcheck is not running, nothing failed.
 */
public record ContainerState(String status, long exitCode, boolean oomKilled, int restartCount, String health,
                             int failingStreak, String lastHealthcheck) {
    public ContainerState {
        status = status == null ? "" : status;
        health = health == null ? "" : health;
        lastHealthcheck = lastHealthcheck == null ? "" : lastHealthcheck;
    }

    /** Whether its healthcheck really failed (after Docker's retries), not only stopped running. */
    public boolean failedItsHealthcheck() {
        return health.equals("unhealthy") && failingStreak > 0;
    }
}
