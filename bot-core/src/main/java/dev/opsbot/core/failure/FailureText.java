package dev.opsbot.core.failure;

import java.util.concurrent.CancellationException;

/** How any failure reads in a run's message or a log line: ours by their message, others by their type too. */
public final class FailureText {
    private FailureText() {
    }

    public static String of(Throwable e) {
        if (e instanceof OperationFailedException f) {
            return f.nextStep().isEmpty() ? f.getMessage() : f.getMessage() + " " + f.nextStep();
        }
        if (e instanceof OpsbotException) return e.getMessage();
        if (e instanceof CancellationException) return "cancelled";
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
