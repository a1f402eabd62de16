package dev.opsbot.core.git;

/** A release was refused or failed; the message says why and what state the repository is in. */
public class ReleaseException extends RuntimeException {
    public ReleaseException(String message) {
        super(message);
    }
}
