package dev.opsbot.slack;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.util.http.SlackHttpClient;
import com.slack.api.util.json.GsonFactory;
import com.slack.api.webhook.WebhookResponse;
import dev.opsbot.core.telemetry.Telemetry;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's Web API as the adapter uses it: every call made on the caller's thread, and an HTTP 429
 * answered by waiting the {@code Retry-After} seconds and trying again, never by giving up early.
 * The SDK's synchronous client reports a 429 as a {@link SlackApiException} carrying the response
 * and its headers; it does not retry by itself.
 *
 * <p>A server error (HTTP 5xx) or a connection lost mid-call is tried again, with a doubling
 * pause, only for a call that may arrive twice without anyone noticing
 * ({@link Repeat#THROUGH_SERVER_ERRORS}: an update replaces the same message with the same
 * content, an upload completes the same file). A call that creates a message is not: Slack may
 * have posted it before failing, and has no key to recognise a second copy.
 */
final class SlackWebApi {

    private static final Logger log = LoggerFactory.getLogger(SlackWebApi.class);

    /** How long one call may keep waiting out rate limits before it is reported as failed. */
    static final Duration RATE_LIMIT_PATIENCE = Duration.ofMinutes(10);
    private static final long DEFAULT_RETRY_AFTER_SECONDS = 1;
    private static final String OK = "ok";
    private static final String ERROR = "error";
    private static final String RATE_LIMITED = "rate_limited";
    /** The two calls that are not Web API methods, named for metrics and errors. */
    private static final String RESPONSE_URL = "response_url";
    private static final String UPLOAD = "upload";
    private static final MediaType OCTET_STREAM = MediaType.parse("application/octet-stream");

    /** How long a call that may be repeated keeps trying through server errors. */
    static final Duration SERVER_ERROR_PATIENCE = Duration.ofMinutes(1);
    private static final long MAX_BACKOFF_SECONDS = 16;

    /** Whether a call may be sent again after a failure Slack may have acted on. */
    enum Repeat {
        /** Reads, or replaces or completes something already there: a second arrival changes nothing. */
        THROUGH_SERVER_ERRORS,
        /** Creates a message: sent again only after a 429, which Slack answers before doing anything. */
        ONLY_AFTER_RATE_LIMIT
    }

    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException, SlackApiException;
    }

    private final Slack slack;
    private final MethodsClient methods;
    private final Telemetry telemetry;
    private final String botToken;
    private final Gson gson;

    SlackWebApi(Slack slack, String botToken, Telemetry telemetry) {
        this.slack = slack;
        this.methods = slack.methods(botToken);
        this.telemetry = telemetry;
        this.botToken = botToken;
        this.gson = GsonFactory.createSnakeCase(slack.getConfig());
    }

    MethodsClient methods() {
        return methods;
    }

    /** Runs one Web API call, waiting out rate limits; an answer that is not ok is an exception. */
    <T extends SlackApiTextResponse> T call(String method, Repeat repeat, Call<T> call) {
        long deadline = System.nanoTime() + RATE_LIMIT_PATIENCE.toNanos();
        ServerErrors serverErrors = new ServerErrors(method);
        while (true) {
            T response;
            try {
                response = call.run();
            } catch (SlackApiException e) {
                int code = e.getResponse().code();
                if (code == 429) {
                    telemetry.chatCall(SlackAdapter.PLATFORM, method, RATE_LIMITED);
                    waitOut(method, retryAfterSeconds(e.getResponse().header("Retry-After")), deadline);
                    continue;
                }
                telemetry.chatCall(SlackAdapter.PLATFORM, method, ERROR);
                String error = e.getError() != null && e.getError().getError() != null
                        ? e.getError().getError() : "HTTP " + code;
                if (code >= 500 && repeat == Repeat.THROUGH_SERVER_ERRORS && serverErrors.waitBeforeRetry(error, e.getResponse().header("Retry-After"))) {
                    continue;
                }
                throw new SlackCallException(method, code >= 500 && repeat == Repeat.ONLY_AFTER_RATE_LIMIT
                        ? error + " (not sent again: Slack may have acted on it, and a message would show twice)" : error, e);
            } catch (ConnectException e) {
                // Nothing reached Slack: the caller decides what an unreachable Slack means.
                telemetry.chatCall(SlackAdapter.PLATFORM, method, ERROR);
                throw new SlackCallException(method, "network: " + e.getMessage(), e);
            } catch (IOException e) {
                telemetry.chatCall(SlackAdapter.PLATFORM, method, ERROR);
                if (repeat == Repeat.THROUGH_SERVER_ERRORS && serverErrors.waitBeforeRetry("network: " + e.getMessage(), null)) continue;
                throw new SlackCallException(method, "network: " + e.getMessage(), e);
            }
            telemetry.chatCall(SlackAdapter.PLATFORM, method, response.isOk() ? OK : ERROR);
            if (!response.isOk()) {
                String error = response.getError();
                if (response.getNeeded() != null) error += " (needs scope " + response.getNeeded() + ")";
                throw new SlackCallException(method, error, null);
            }
            return response;
        }
    }

    /**
     * Runs the Web API method with this form as {@link #call} does, but reads the answer with the
     * adapter's one Gson: the SDK's methods client builds a new Gson, and with it every type
     * adapter by reflection, for each answer it reads, which made posting a message cost more
     * than anything else in answering a command.
     */
    <T extends SlackApiTextResponse> T post(String method, Repeat repeat, FormBody.Builder form, Class<T> type) {
        FormBody body = form.build();
        String url = slack.getConfig().getMethodsEndpointUrlPrefix() + method;
        return call(method, repeat, () -> {
            SlackHttpClient http = slack.getHttpClient();
            try (Response response = http.postFormWithBearerHeader(url, botToken, body)) {
                String text = response.body().string();
                if (!response.isSuccessful()) throw new SlackApiException(slack.getConfig(), response, text);
                http.runHttpResponseListeners(response, text);
                return gson.fromJson(text, type);
            }
        });
    }

    /**
     * Posts a JSON payload to an interaction's response URL. Returns false when Slack refuses it
     * (expired, used up), so the caller can fall back to the Web API.
     */
    boolean respond(String responseUrl, String json) {
        long deadline = System.nanoTime() + RATE_LIMIT_PATIENCE.toNanos();
        while (true) {
            WebhookResponse response;
            try {
                response = slack.send(responseUrl, json);
            } catch (IOException e) {
                telemetry.chatCall(SlackAdapter.PLATFORM, RESPONSE_URL, ERROR);
                log.warn("Posting to a response URL failed: {}", e.getMessage());
                return false;
            }
            int code = response.getCode() == null ? 0 : response.getCode();
            telemetry.chatCall(SlackAdapter.PLATFORM, RESPONSE_URL, code == 200 ? OK : code == 429 ? RATE_LIMITED : ERROR);
            if (code == 429) {
                waitOut(RESPONSE_URL, retryAfterSeconds(header(response.getHeaders(), "Retry-After")), deadline);
                continue;
            }
            if (code != 200) {
                log.warn("A response URL answered {}: {}", code, response.getBody());
            }
            return code == 200;
        }
    }

    /**
     * Sends a file's bytes to the upload URL that {@code files.getUploadURLExternal} returned; sent
     * again after a server error, since a second upload to the same URL replaces the same file.
     */
    void upload(String uploadUrl, Path file) {
        OkHttpClient http = slack.getHttpClient().getOkHttpClient();
        long deadline = System.nanoTime() + RATE_LIMIT_PATIENCE.toNanos();
        ServerErrors serverErrors = new ServerErrors(UPLOAD);
        while (true) {
            Request request = new Request.Builder()
                    .url(uploadUrl)
                    .post(RequestBody.create(file.toFile(), OCTET_STREAM))
                    .build();
            try (Response response = http.newCall(request).execute()) {
                telemetry.chatCall(SlackAdapter.PLATFORM, UPLOAD, response.code() == 200 ? OK : response.code() == 429 ? RATE_LIMITED : ERROR);
                if (response.code() == 429) {
                    waitOut(UPLOAD, retryAfterSeconds(response.header("Retry-After")), deadline);
                    continue;
                }
                if (response.code() >= 500 && serverErrors.waitBeforeRetry("HTTP " + response.code(), response.header("Retry-After"))) {
                    continue;
                }
                if (response.code() != 200) {
                    throw new SlackCallException(UPLOAD, "HTTP " + response.code(), null);
                }
                return;
            } catch (IOException e) {
                telemetry.chatCall(SlackAdapter.PLATFORM, UPLOAD, ERROR);
                throw new SlackCallException(UPLOAD, "network: " + e.getMessage(), e);
            }
        }
    }

    private void waitOut(String method, long seconds, long deadline) {
        long waitNanos = Duration.ofSeconds(seconds).toNanos();
        if (System.nanoTime() + waitNanos - deadline > 0) {
            throw new SlackCallException(method, "still rate limited after " + RATE_LIMIT_PATIENCE, null);
        }
        log.info("Slack rate limited {}: retrying in {} s", method, seconds);
        telemetry.rateLimitWait(SlackAdapter.PLATFORM, method, Duration.ofSeconds(seconds));
        try {
            Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlackCallException(method, "interrupted while waiting out a rate limit", e);
        }
    }

    /** The doubling pauses between tries of one call through server errors, within {@link #SERVER_ERROR_PATIENCE}. */
    private final class ServerErrors {
        private final String method;
        private final long deadline = System.nanoTime() + SERVER_ERROR_PATIENCE.toNanos();
        private long pauseSeconds = 1;

        ServerErrors(String method) {
            this.method = method;
        }

        /** Waits before the next try; false when the patience is spent. */
        boolean waitBeforeRetry(String error, String retryAfter) {
            long seconds = retryAfter == null ? pauseSeconds : Math.max(pauseSeconds, retryAfterSeconds(retryAfter));
            if (System.nanoTime() + Duration.ofSeconds(seconds).toNanos() - deadline > 0) return false;
            log.info("Slack {} failed ({}): trying again in {} s", method, error, seconds);
            pauseSeconds = Math.min(pauseSeconds * 2, MAX_BACKOFF_SECONDS);
            try {
                Thread.sleep(Duration.ofSeconds(seconds).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlackCallException(method, "interrupted while waiting to try again after " + error, e);
            }
            return true;
        }
    }

    static long retryAfterSeconds(String header) {
        if (header == null || header.isBlank()) return DEFAULT_RETRY_AFTER_SECONDS;
        try {
            return Math.max(DEFAULT_RETRY_AFTER_SECONDS, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER_SECONDS;
        }
    }

    private static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) return null;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey() != null && h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }
}
