package dev.opsbot.core.swarm;

/**
 * Follows an update as it happens, for the live message: every change of a task (a new task
 * starting, an old one shut down, one failing its health check), every new update status
 * Docker reports for a service ({@code rollback_started: update rolled back due to ...}), and
 * the outcome per service. Called from the thread running the update.
 */
public interface SwarmListener {

    default void task(SwarmTask task) {
    }

    default void status(String service, String state, String message) {
    }

    default void outcome(UpdateOutcome outcome) {
    }

    SwarmListener NONE = new SwarmListener() { };
}
