package dev.opsbot.core.docker;

/** The Docker engine cannot be reached at all (socket missing, refused, not answering). */
public class DockerUnavailableException extends DockerException {
    public DockerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public DockerUnavailableException(String message, String nextStep, Throwable cause) {
        super(message, nextStep, cause);
    }
}
