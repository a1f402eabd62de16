package dev.opsbot.core.runbook;

import dev.opsbot.core.failure.OperationFailedException;

/** A step did not achieve what it should; the message says what happened. */
public class StepFailedException extends OperationFailedException {
    public StepFailedException(String message) {
        super(message);
    }
}
