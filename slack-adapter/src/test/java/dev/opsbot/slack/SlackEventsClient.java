package dev.opsbot.slack;

import com.google.gson.JsonObject;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Sends requests to HTTP mode's endpoint as Slack does: form-encoded and signed. */
public final class SlackEventsClient {

    public record Answer(int status, String body, Duration took) { }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final String signingSecret;

    public SlackEventsClient(int port, String path, String signingSecret) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + path);
        this.signingSecret = signingSecret;
    }

    public Answer command(Map<String, String> fields) throws Exception {
        return send(SlackPayloads.formEncode(fields));
    }

    /** An interaction: {@code payload=<json>}. */
    Answer interaction(JsonObject payload) throws Exception {
        return send("payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8));
    }

    /** Signed now with the right secret. */
    Answer send(String body) throws Exception {
        long ts = Instant.now().getEpochSecond();
        return send(body, ts, SlackPayloads.sign(signingSecret, ts, body));
    }

    Answer send(String body, long timestamp, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Slack-Request-Timestamp", Long.toString(timestamp));
            request.header("X-Slack-Signature", signature);
        }
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - start));
    }
}
