package dev.opsbot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Requests as Slack sends them to HTTP mode: form-encoded, signed with the app's signing secret. */
final class SlackRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final String secret;

    SlackRequests(int port, String secret) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/slack/events");
        this.secret = secret;
    }

    /** The form body of {@code /ops <text>} typed by {@code userId} in {@code channelId}. */
    static String slashCommand(String channelId, String userId, String userName, String text, String responseUrl) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", "legacy-verification-token");
        f.put("team_id", "T0BENCH");
        f.put("team_domain", "bench");
        f.put("channel_id", channelId);
        f.put("channel_name", "ops");
        f.put("user_id", userId);
        f.put("user_name", userName);
        f.put("command", "/ops");
        f.put("text", text);
        f.put("api_app_id", "A0BENCH");
        f.put("is_enterprise_install", "false");
        f.put("response_url", responseUrl);
        f.put("trigger_id", "trigger-" + userId);
        return f.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * The form body of a press: {@code userId} pressed the button {@code actionId} (its value the bot's
     * token) on message {@code messageTs} in {@code channelId}, as Slack sends block_actions.
     */
    static String buttonPress(String channelId, String messageTs, String userId, String userName, String actionId, String value,
                              String responseUrl) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", "block_actions");
        p.putObject("user").put("id", userId).put("username", userName).put("name", userName).put("team_id", "T0BENCH");
        p.put("api_app_id", "A0BENCH");
        p.put("token", "legacy-verification-token");
        p.putObject("container").put("type", "message").put("message_ts", messageTs).put("channel_id", channelId).put("is_ephemeral", false);
        p.put("trigger_id", "trigger-" + userId);
        p.putObject("team").put("id", "T0BENCH").put("domain", "bench");
        p.putObject("channel").put("id", channelId).put("name", "ops");
        p.putObject("message").put("type", "message").put("ts", messageTs).put("text", "");
        p.put("response_url", responseUrl);
        ObjectNode action = p.putArray("actions").addObject();
        action.put("type", "button").put("action_id", actionId).put("block_id", "b1").put("value", value).put("action_ts", messageTs);
        action.putObject("text").put("type", "plain_text").put("text", "Confirm");
        return "payload=" + URLEncoder.encode(p.toString(), StandardCharsets.UTF_8);
    }

    /** The request, signed now. */
    HttpRequest signed(String body) {
        long ts = Instant.now().getEpochSecond();
        return HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", Long.toString(ts))
                .header("X-Slack-Signature", sign(ts, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    String sign(long ts, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + ts + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client for the bot's HTTP endpoint: HTTP/1.1, as Slack sends. */
    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
