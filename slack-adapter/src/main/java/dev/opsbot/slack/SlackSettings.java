package dev.opsbot.slack;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the Slack adapter connects.
 *
 * <ul>
 *   <li>{@code botToken} ({@code SLACK_BOT_TOKEN}): the Web API token, {@code xoxb-…}.</li>
 *   <li>{@code appToken} ({@code SLACK_APP_TOKEN}): when set, Socket Mode (an outbound websocket,
 *       no public endpoint needed).</li>
 *   <li>{@code signingSecret} ({@code SLACK_SIGNING_SECRET}): when set without an app token, HTTP
 *       mode: Slack posts commands and interactions to {@code path} on {@code httpPort}.</li>
 *   <li>{@code apiUrl} ({@code SLACK_API_URL}): the Web API base URL for every call, Socket Mode's
 *       {@code apps.connections.open} included (a proxy, GovSlack).</li>
 *   <li>{@code httpPort} ({@code OPSBOT_HTTP_PORT}, default 3000; 0 picks a free port).</li>
 *   <li>{@code threadReplies} ({@code OPSBOT_SLACK_THREAD_REPLIES}): run output goes to a thread
 *       under the command's message.</li>
 * </ul>
 */
public record SlackSettings(String botToken, String appToken, String signingSecret, String apiUrl,
                            int httpPort, String path, boolean threadReplies) {

    public static final String DEFAULT_API_URL = "https://slack.com/api/";
    public static final int DEFAULT_HTTP_PORT = 3000;
    public static final String DEFAULT_PATH = "/slack/events";

    /** How events reach the adapter. */
    public enum Mode { SOCKET, HTTP }

    public SlackSettings {
        botToken = blankToNull(botToken);
        appToken = blankToNull(appToken);
        signingSecret = blankToNull(signingSecret);
        apiUrl = blankToNull(apiUrl) == null ? DEFAULT_API_URL : apiUrl.trim();
        path = blankToNull(path) == null ? DEFAULT_PATH : path.trim();
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the HTTP path must start with '/': " + path);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port out of range: " + httpPort);
        }
        if (!apiUrl.startsWith("http://") && !apiUrl.startsWith("https://")) {
            throw new IllegalArgumentException("SLACK_API_URL must be an http(s) URL: " + apiUrl);
        }
    }

    /** Reads the settings from environment-style variables; absent ones take their defaults. */
    public static SlackSettings fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        return new SlackSettings(
                env.get("SLACK_BOT_TOKEN"),
                env.get("SLACK_APP_TOKEN"),
                env.get("SLACK_SIGNING_SECRET"),
                env.get("SLACK_API_URL"),
                port(env.get("OPSBOT_HTTP_PORT")),
                DEFAULT_PATH,
                flag("OPSBOT_SLACK_THREAD_REPLIES", env.get("OPSBOT_SLACK_THREAD_REPLIES")));
    }

    /** True when there is enough to connect: a bot token and either an app token or a signing secret. */
    public boolean enabled() {
        return botToken != null && (appToken != null || signingSecret != null);
    }

    /** Socket Mode when an app token is set, otherwise HTTP mode. */
    public Mode mode() {
        return appToken != null ? Mode.SOCKET : Mode.HTTP;
    }

    /** The Web API base URL with exactly one trailing slash, as Slack's client expects it. */
    public String apiUrlPrefix() {
        String base = apiUrl;
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return base + "/";
    }

    /** Tokens and the secret never appear in logs. */
    @Override
    public String toString() {
        return "SlackSettings[botToken=" + mask(botToken) + ", appToken=" + mask(appToken)
                + ", signingSecret=" + mask(signingSecret) + ", apiUrl=" + apiUrl
                + ", httpPort=" + httpPort + ", path=" + path + ", threadReplies=" + threadReplies + "]";
    }

    private static String mask(String secret) {
        return secret == null ? "unset" : "***";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static int port(String value) {
        if (blankToNull(value) == null) return DEFAULT_HTTP_PORT;
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OPSBOT_HTTP_PORT is not a port number: " + value);
        }
    }

    private static boolean flag(String name, String value) {
        if (blankToNull(value) == null) return false;
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false: " + value);
        };
    }
}
