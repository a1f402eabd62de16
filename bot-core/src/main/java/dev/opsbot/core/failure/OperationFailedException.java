package dev.opsbot.core.failure;

/**
 * An operation did not work: an engine, a repository, the database, a file. The message says
 * what failed; {@link #nextStep()} what the person can do about it, where the failure knows.
 */
public class OperationFailedException extends OpsbotException {
    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What to do next, shown under the failure; empty when the message says it all. */
    public String nextStep() {
        return "";
    }
}
