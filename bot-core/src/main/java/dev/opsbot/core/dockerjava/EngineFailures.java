package dev.opsbot.core.dockerjava;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerUnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * What docker-java and its transport throw, said for the channel: every failure of one engine
 * becomes a {@link DockerException} naming what was being done ({@code what}: "restart backend
 * (container shop-backend-1)") and why, in the engine's own words where it gave any; a failure to
 * reach the engine at all becomes a {@link DockerUnavailableException} naming the endpoint.
 */
final class EngineFailures {
    /** docker-java's messages of an engine's answer: {@code Status 404: {"message":"No such container: 3f2a"}}. */
    private static final Pattern STATUS = Pattern.compile("^Status \\d{3}: ");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GONE_NEXT_STEP = "It changed while the bot was at it; /ops ps shows what there is now.";

    private final String endpoint;

    EngineFailures(String endpoint) {
        this.endpoint = endpoint;
    }

    /** The engine answered that what was asked about does not exist (any more). */
    static final class NotFound extends DockerException {
        private NotFound(String message, Throwable cause) {
            super(message, GONE_NEXT_STEP, cause);
        }
    }

    DockerException translate(String what, Throwable e) {
        if (e instanceof DockerException ours) return ours;
        if (unreachable(e)) return notReached(what, e);
        if (e instanceof NotFoundException) return new NotFound("cannot " + what + ": " + engineWords(e), e);
        return new DockerException("cannot " + what + ": " + engineWords(e), e);
    }

    /** The engine was not reached at all: no answer came, whatever the cause. */
    DockerUnavailableException notReached(String what, Throwable e) {
        return unavailable("Docker is not reachable at " + endpoint + " (" + what + "): " + why(e), e);
    }

    /** An Engine API answer with an error status, in the engine's words. */
    DockerException answered(String what, int status, String words) {
        return status == 404 ? new NotFound("cannot " + what + ": " + words, null) : new DockerException("cannot " + what + ": " + words);
    }

    /** A call that got no answer at all within {@code waited}. */
    DockerUnavailableException noAnswer(String what, Duration waited, Throwable e) {
        return unavailable("Docker at " + endpoint + " did not answer within " + Durations.human(waited) + " (" + what + ")", e);
    }

    /** A call that was answered, but not within the time it had. */
    DockerException tookTooLong(String what, Duration timeout) {
        return new DockerException("cannot " + what + ": it took longer than " + Durations.human(timeout));
    }

    DockerException interrupted(String what, InterruptedException e) {
        return new DockerException("cannot " + what + ": interrupted", e);
    }

    /** A stream that ended before the engine opened it: why, where it is known. */
    DockerException closedEarly(String what, Throwable why) {
        if (why != null) return translate(what, why);
        return unavailable("Docker at " + endpoint + " closed the stream before it opened (" + what + ")", null);
    }

    private DockerUnavailableException unavailable(String message, Throwable e) {
        return new DockerUnavailableException(message, "Check that dockerd runs at " + endpoint
                + " and answers there (DOCKER_HOST, or the environment's docker_host and TLS settings).", e);
    }

    /** The kind of failure first (TLS, refused, timed out), then what the platform said. */
    static String why(Throwable e) {
        String root = rootMessage(e);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof GeneralSecurityException) return "TLS failed: " + root;
            if (t instanceof ConnectException) return "connection refused: " + root;
            if (t instanceof NoHttpResponseException) return "the connection was closed without an answer: " + root;
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) return "timed out: " + root;
            if (t instanceof UnknownHostException) return "unknown host: " + root;
        }
        return root;
    }

    /** True when the cause is the connection itself (socket missing, refused, reset, TLS, timeout), not an answer. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof SocketTimeoutException
                    || t instanceof InterruptedIOException || t instanceof NoHttpResponseException) {
                return true;
            }
            if (t instanceof ConnectException || t instanceof SocketException
                    || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return true;
            }
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof IOException && !(t instanceof JsonProcessingException)
                    && (m.contains("No such file or directory") || m.contains("Connection refused") || m.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    /** The engine's own words: the {@code message} of its JSON answer, without docker-java's status prefix. */
    static String engineWords(Throwable e) {
        String message = STATUS.matcher(rootMessage(e)).replaceFirst("");
        int at = message.indexOf('{');
        if (at >= 0 && message.contains("\"message\"")) {
            // Parsed, not cut at the next quote: the engine's words often quote a URL themselves.
            try {
                JsonNode words = JSON.readTree(message.substring(at)).path("message");
                if (words.isTextual()) return words.asText();
            } catch (JsonProcessingException notJson) {
                // said as it came, below
            }
        }
        return message.strip();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
