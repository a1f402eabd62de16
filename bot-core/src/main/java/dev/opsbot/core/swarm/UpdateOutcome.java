package dev.opsbot.core.swarm;

/**
 * How an update of one service ended: the image the service is on now and, unless it converged,
 * why (Docker's own words from the service's update status, and the error of the task that failed).
 */
public record UpdateOutcome(String service, Result result, String image, String reason) {

    public enum Result {
        /** Every task runs the new spec. */
        CONVERGED,
        /** A task failed and the update policy took the service back to its previous spec. */
        ROLLED_BACK,
        /** The update (or its rollback) paused on a failure, or Docker refused it. */
        FAILED,
        /** Still in progress when the time allowed ran out; the engine carries on without us watching. */
        TIMED_OUT
    }

    public UpdateOutcome {
        reason = reason == null ? "" : reason;
    }

    public boolean converged() {
        return result == Result.CONVERGED;
    }
}
