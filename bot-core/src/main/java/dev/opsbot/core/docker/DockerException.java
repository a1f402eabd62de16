package dev.opsbot.core.docker;

import dev.opsbot.core.failure.OperationFailedException;

/**
 * An operation on a Docker engine failed; the message is fit to show in the channel: what was
 * being done, to which service, container or image, and why.
 */
public class DockerException extends OperationFailedException {
    private final String nextStep;

    public DockerException(String message) {
        this(message, "", null);
    }

    public DockerException(String message, Throwable cause) {
        this(message, "", cause);
    }

    /** @param nextStep what the person can do about it; empty when the message says it all */
    public DockerException(String message, String nextStep, Throwable cause) {
        super(message, cause);
        this.nextStep = nextStep == null ? "" : nextStep;
    }

    @Override
    public String nextStep() {
        return nextStep;
    }
}
