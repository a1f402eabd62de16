package dev.opsbot.core.docker;

import dev.opsbot.core.failure.OperationFailedException;

/** An operation on the Docker host failed; the message is fit to show in the channel. */
public class DockerException extends OperationFailedException {
    public DockerException(String message) {
        super(message);
    }

    public DockerException(String message, Throwable cause) {
        super(message, cause);
    }
}
