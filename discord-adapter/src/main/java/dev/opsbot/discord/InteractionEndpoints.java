package dev.opsbot.discord;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.utils.data.DataObject;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An interaction's own endpoints, called on JDA's HTTP client without JDA's request machinery:
 * the initial response ({@code POST interactions/{id}/{token}/callback}) and the answers through
 * the interaction's token ({@code PATCH webhooks/{app}/{token}/messages/@original}, {@code POST
 * webhooks/{app}/{token}}). Every command makes two of these calls, and through JDA each one
 * went through its rate-limit scheduler, a hop to its REST pool, its URL building and the
 * parsing of Discord's answer into entities nobody reads: about a third of a command's CPU.
 *
 * <p>These routes need no bot token and are outside the bot's global rate limit; a 429 is
 * waited out and the call made again. Any other refusal is a {@link Refused} with Discord's
 * error code. An initial response is never sent twice after a failure that may have reached
 * Discord (a second one would be refused as "already acknowledged", which tells replicas apart).
 * Bodies are JDA's own rendering of the message ({@code toData()}), so they match what JDA sends.
 */
final class InteractionEndpoints {
    /** Discord's error code for an interaction that already has its initial response. */
    static final int ALREADY_ACKNOWLEDGED = 40060;
    static final int EPHEMERAL = 1 << 6;
    private static final MediaType JSON = MediaType.get("application/json");
    /** Tries of a call Discord refused with 429. */
    private static final int ATTEMPTS = 3;
    /** A wait longer than this is not waited out: the interaction's window would be gone. */
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

    /** Discord's kinds of initial response. */
    enum Kind {
        CHANNEL_MESSAGE(4), DEFERRED_CHANNEL_MESSAGE(5), DEFERRED_UPDATE_MESSAGE(6), UPDATE_MESSAGE(7);

        private final int type;

        Kind(int type) {
            this.type = type;
        }
    }

    /** Discord refused a call: the HTTP status, Discord's error code (0 when none) and its message. */
    static final class Refused extends RuntimeException {
        private final int status;
        private final int code;
        private final Duration retryAfter;

        Refused(String call, int status, int code, String message, Duration retryAfter) {
            super(call + ": HTTP " + status + (code == 0 ? "" : ", Discord error " + code) + ": " + message);
            this.status = status;
            this.code = code;
            this.retryAfter = retryAfter;
        }

        int status() {
            return status;
        }

        int code() {
            return code;
        }

        private boolean worthWaiting() {
            return status == 429 && retryAfter.compareTo(LONGEST_WAIT) <= 0;
        }
    }

    private final OkHttpClient http;
    private final HttpUrl base;
    private final String userAgent;

    /** @param baseUrl the REST address ending in the API version and a slash ({@code https://discord.com/api/v10/}) */
    InteractionEndpoints(OkHttpClient http, String baseUrl, String userAgent) {
        this.http = http;
        this.base = HttpUrl.get(baseUrl);
        this.userAgent = userAgent;
    }

    /**
     * Sends the initial response; returns at once. The future completes when Discord accepted
     * it, or fails with {@link Refused} or the I/O error.
     */
    CompletableFuture<Void> respond(String interactionId, String token, Kind kind, DataObject data) {
        DataObject body = DataObject.empty().put("type", kind.type);
        if (data != null) body.put("data", data);
        HttpUrl url = base.newBuilder().addPathSegment("interactions").addPathSegment(interactionId)
                .addPathSegment(token).addPathSegment("callback").build();
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        send(request("POST", url, body), accepted, 1);
        return accepted;
    }

    /** {@code message} as Discord shows it only to the person who started the interaction. */
    static DataObject ephemeral(MessageCreateData message) {
        return message.toData().put("flags", EPHEMERAL);
    }

    /** Replaces the interaction's original response; blocks until Discord answered. */
    void editOriginal(String applicationId, String token, MessageEditData edit) {
        call(request("PATCH", webhook(applicationId, token).addPathSegment("messages").addPathSegment("@original").build(),
                edit.toData()));
    }

    /** Sends a private follow-up message through the interaction's token; blocks until Discord answered. */
    void followUp(String applicationId, String token, MessageCreateData message) {
        call(request("POST", webhook(applicationId, token).build(), ephemeral(message)));
    }

    /**
     * Stops the client's dispatcher threads, which initial responses started (they are not
     * daemons: idle, they would keep the process alive for a minute), and closes idle connections.
     */
    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private HttpUrl.Builder webhook(String applicationId, String token) {
        return base.newBuilder().addPathSegment("webhooks").addPathSegment(applicationId).addPathSegment(token);
    }

    private Request request(String method, HttpUrl url, DataObject body) {
        return new Request.Builder().url(url).header("User-Agent", userAgent)
                .method(method, RequestBody.create(body.toJson(), JSON)).build();
    }

    private void send(Request request, CompletableFuture<Void> accepted, int attempt) {
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                accepted.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                Refused refused = refusal(request, response);
                if (refused == null) {
                    accepted.complete(null);
                } else if (refused.worthWaiting() && attempt < ATTEMPTS) {
                    CompletableFuture.delayedExecutor(refused.retryAfter.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(() -> send(request, accepted, attempt + 1));
                } else {
                    accepted.completeExceptionally(refused);
                }
            }
        });
    }

    private void call(Request request) {
        for (int attempt = 1; ; attempt++) {
            Refused refused;
            try {
                refused = refusal(request, http.newCall(request).execute());
            } catch (IOException e) {
                throw new Refused(name(request), 0, 0, e.toString(), Duration.ZERO);
            }
            if (refused == null) return;
            if (!refused.worthWaiting() || attempt == ATTEMPTS) throw refused;
            try {
                Thread.sleep(refused.retryAfter.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw refused;
            }
        }
    }

    /** Null when Discord accepted the call; closes the response either way. */
    private static Refused refusal(Request request, Response response) {
        try (response) {
            if (response.isSuccessful()) return null;
            int code = 0;
            String message = response.message();
            Duration retryAfter = DiscordCallMeter.retryAfter(response);
            try {
                DataObject error = DataObject.fromJson(response.body().bytes());
                code = error.getInt("code", 0);
                message = error.getString("message", message);
                if (retryAfter.isZero()) retryAfter = Duration.ofMillis(Math.round(Math.max(error.getDouble("retry_after", 0), 0) * 1000));
            } catch (IOException | RuntimeException notJson) {
                // A proxy's page, or an empty body: the status says enough.
            }
            return new Refused(name(request), response.code(), code, message, retryAfter);
        }
    }

    /** The call without its token, which is a credential: {@code PATCH webhooks/{app}/…/messages/@original}. */
    private static String name(Request request) {
        return DiscordCallMeter.route(request.method(), request.url().encodedPath());
    }
}
