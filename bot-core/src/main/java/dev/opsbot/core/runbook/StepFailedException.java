package dev.opsbot.core.runbook;

/** A step did not achieve what it should; the message says what happened. */
public class StepFailedException extends Exception {
    public StepFailedException(String message) {
        super(message);
    }
}
