package dev.opsbot.core.git;

import dev.opsbot.core.failure.OperationFailedException;

/** A release was refused or failed; the message says why and what state the repository is in. */
public class ReleaseException extends OperationFailedException {
    public ReleaseException(String message) {
        super(message);
    }
}
