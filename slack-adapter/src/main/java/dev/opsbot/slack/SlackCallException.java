package dev.opsbot.slack;

import dev.opsbot.core.failure.OperationFailedException;

/** A Slack call that failed for good: an error answer, a network failure, or a rate limit that never lifted. */
public class SlackCallException extends OperationFailedException {

    private final String method;
    private final String error;

    SlackCallException(String method, String error, Throwable cause) {
        super(method + " failed: " + error, cause);
        this.method = method;
        this.error = error;
    }

    /** The Web API method (or "response_url", "upload") that failed. */
    public String method() {
        return method;
    }

    /** Slack's error code ("channel_not_found", "not_in_channel", …) or a short description. */
    public String error() {
        return error;
    }
}
