package dev.opsbot.core.failure;

/**
 * The root of every failure opsbot reports. It has two branches, answered differently in the
 * channel: {@link RefusedException} (what the person typed, or may not do: a usage line or a
 * refusal, nothing was changed) and {@link OperationFailedException} (an operation on Docker,
 * git, the database or a file did not work: what failed and what to do next).
 * The message of every subclass is fit for the channel, before redaction.
 */
public abstract class OpsbotException extends RuntimeException {
    protected OpsbotException(String message) {
        super(message);
    }

    protected OpsbotException(String message, Throwable cause) {
        super(message, cause);
    }
}
