package dev.opsbot.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** What Slack sends: slash commands, button presses and modal submissions, and request signatures. */
public final class SlackPayloads {

    private SlackPayloads() {
    }

    /** A slash command's fields, as Slack sends them (form fields over HTTP, a JSON object over Socket Mode). */
    public static Map<String, String> slashCommand(String channelId, String userId, String userName, String text,
                                            String responseUrl, String triggerId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", "legacy-verification-token");
        f.put("team_id", FakeSlack.TEAM_ID);
        f.put("team_domain", "fake");
        f.put("channel_id", channelId);
        f.put("channel_name", channelId.startsWith("D") ? "directmessage" : "ops");
        f.put("user_id", userId);
        f.put("user_name", userName);
        f.put("command", "/ops");
        f.put("text", text);
        f.put("api_app_id", "A0FAKE");
        f.put("is_enterprise_install", "false");
        f.put("response_url", responseUrl);
        f.put("trigger_id", triggerId);
        return f;
    }

    public static JsonObject toJson(Map<String, String> fields) {
        JsonObject o = new JsonObject();
        fields.forEach(o::addProperty);
        return o;
    }

    static String formEncode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** A block_actions payload: {@code userId} pressed the button with {@code actionId} and {@code value}. */
    public static JsonObject buttonPress(String channelId, String messageTs, String userId, String userName,
                                  String actionId, String value, String responseUrl, String triggerId) {
        JsonObject p = new JsonObject();
        p.addProperty("type", "block_actions");
        p.add("user", user(userId, userName));
        p.addProperty("api_app_id", "A0FAKE");
        p.addProperty("token", "legacy-verification-token");
        JsonObject container = new JsonObject();
        container.addProperty("type", "message");
        container.addProperty("message_ts", messageTs);
        container.addProperty("channel_id", channelId);
        container.addProperty("is_ephemeral", false);
        p.add("container", container);
        p.addProperty("trigger_id", triggerId);
        p.add("team", team());
        JsonObject channel = new JsonObject();
        channel.addProperty("id", channelId);
        channel.addProperty("name", "ops");
        p.add("channel", channel);
        JsonObject message = new JsonObject();
        message.addProperty("type", "message");
        message.addProperty("ts", messageTs);
        message.addProperty("text", "Deploy sha-abc1234?");
        p.add("message", message);
        p.addProperty("response_url", responseUrl);
        JsonArray actions = new JsonArray();
        JsonObject action = new JsonObject();
        action.addProperty("type", "button");
        action.addProperty("action_id", actionId);
        action.addProperty("block_id", "b1");
        action.addProperty("value", value);
        action.addProperty("action_ts", "1700000001.000100");
        JsonObject text = new JsonObject();
        text.addProperty("type", "plain_text");
        text.addProperty("text", "Confirm");
        action.add("text", text);
        actions.add(action);
        p.add("actions", actions);
        return p;
    }

    /** A view_submission payload for a modal the adapter opened: values by input id. */
    public static JsonObject modalSubmit(String callbackId, String privateMetadata, String userId, String userName,
                                  Map<String, String> values) {
        JsonObject p = new JsonObject();
        p.addProperty("type", "view_submission");
        p.add("team", team());
        p.add("user", user(userId, userName));
        p.addProperty("api_app_id", "A0FAKE");
        p.addProperty("token", "legacy-verification-token");
        p.addProperty("trigger_id", "trigger-submit-1");
        JsonObject view = new JsonObject();
        view.addProperty("id", "V1");
        view.addProperty("team_id", FakeSlack.TEAM_ID);
        view.addProperty("type", "modal");
        view.addProperty("callback_id", callbackId);
        view.addProperty("private_metadata", privateMetadata);
        JsonObject state = new JsonObject();
        JsonObject byBlock = new JsonObject();
        values.forEach((id, value) -> {
            JsonObject v = new JsonObject();
            v.addProperty("type", "plain_text_input");
            v.addProperty("value", value);
            JsonObject byAction = new JsonObject();
            byAction.add(id, v);
            byBlock.add(id, byAction);
        });
        state.add("values", byBlock);
        view.add("state", state);
        p.add("view", view);
        p.add("response_urls", new JsonArray());
        return p;
    }

    /** Slack's v0 signature: HMAC-SHA256 of {@code v0:<timestamp>:<body>} with the signing secret. */
    static String sign(String signingSecret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject user(String id, String name) {
        JsonObject u = new JsonObject();
        u.addProperty("id", id);
        u.addProperty("username", name);
        u.addProperty("name", name);
        u.addProperty("team_id", FakeSlack.TEAM_ID);
        return u;
    }

    private static JsonObject team() {
        JsonObject t = new JsonObject();
        t.addProperty("id", FakeSlack.TEAM_ID);
        t.addProperty("domain", "fake");
        return t;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
