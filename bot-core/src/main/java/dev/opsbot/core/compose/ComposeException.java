package dev.opsbot.core.compose;

/** The compose file cannot be read or holds something the bot does not support. */
public class ComposeException extends RuntimeException {
    public ComposeException(String message) {
        super(message);
    }

    public ComposeException(String message, Throwable cause) {
        super(message, cause);
    }
}
