package dev.opsbot.core.compose;

import dev.opsbot.core.failure.OperationFailedException;

/** The compose file cannot be read or holds something the bot does not support. */
public class ComposeException extends OperationFailedException {
    public ComposeException(String message) {
        super(message);
    }

    public ComposeException(String message, Throwable cause) {
        super(message, cause);
    }
}
