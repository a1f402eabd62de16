package dev.opsbot.discord;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach Discord, read from the environment.
 *
 * <ul>
 *   <li>{@code DISCORD_TOKEN}: the bot token; without it the adapter is off.</li>
 *   <li>{@code DISCORD_GUILD_IDS}: comma-separated server ids; {@code /ops} is registered in each (instantly).</li>
 *   <li>{@code DISCORD_GLOBAL_COMMANDS}: {@code true} registers {@code /ops} globally (in every server the bot
 *       joins, and in direct messages). Global registration is also used when no guild id is given.</li>
 *   <li>{@code DISCORD_API_URL}: the REST address (default {@code https://discord.com}); {@code /api/v10/} is
 *       appended unless the address already names an API version.</li>
 *   <li>{@code DISCORD_GATEWAY_URL}: the gateway address (default {@code wss://gateway.discord.gg}).</li>
 * </ul>
 */
public record DiscordSettings(String token, List<String> guildIds, boolean globalCommands, String apiUrl,
                              String gatewayUrl) {

    public static final String DEFAULT_API_URL = "https://discord.com";
    public static final String DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg";
    private static final String API_PATH = "/api/v10/";
    private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");
    private static final Pattern VERSIONED = Pattern.compile(".*/api/v[0-9]+/?");

    public DiscordSettings {
        token = token == null ? "" : token.strip();
        guildIds = guildIds == null ? List.of() : List.copyOf(guildIds);
        for (String id : guildIds) {
            if (!SNOWFLAKE.matcher(id).matches()) {
                throw new IllegalArgumentException("DISCORD_GUILD_IDS: '" + id + "' is not a server id (digits only)");
            }
        }
        apiUrl = address("DISCORD_API_URL", apiUrl, DEFAULT_API_URL, "http", "https");
        gatewayUrl = address("DISCORD_GATEWAY_URL", gatewayUrl, DEFAULT_GATEWAY_URL, "ws", "wss");
    }

    public static DiscordSettings fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        List<String> guilds = Arrays.stream(env.getOrDefault("DISCORD_GUILD_IDS", "").split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        String global = env.getOrDefault("DISCORD_GLOBAL_COMMANDS", "").strip().toLowerCase(Locale.ROOT);
        if (!global.isEmpty() && !global.equals("true") && !global.equals("false")) {
            throw new IllegalArgumentException("DISCORD_GLOBAL_COMMANDS must be true or false, not '" + global + "'");
        }
        return new DiscordSettings(env.get("DISCORD_TOKEN"), guilds, global.equals("true"),
                env.get("DISCORD_API_URL"), env.get("DISCORD_GATEWAY_URL"));
    }

    /** Whether a token is configured: without one the bot runs without Discord. */
    public boolean enabled() {
        return !token.isEmpty();
    }

    /** Whether {@code /ops} is registered globally: when asked to, or when no server is named. */
    public boolean registerGlobally() {
        return globalCommands || guildIds.isEmpty();
    }

    /** The base address JDA sends REST requests to, ending in a slash. */
    public String restBaseUrl() {
        String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        return VERSIONED.matcher(apiUrl).matches() ? base + "/" : base + API_PATH;
    }

    @Override
    public String toString() {
        return "DiscordSettings[token=" + (enabled() ? "(set)" : "(none)") + ", guildIds=" + guildIds
                + ", globalCommands=" + globalCommands + ", apiUrl=" + apiUrl + ", gatewayUrl=" + gatewayUrl + "]";
    }

    private static String address(String variable, String value, String fallback, String... schemes) {
        String text = value == null || value.isBlank() ? fallback : value.strip();
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + ": '" + text + "' is not an address", e);
        }
        if (uri.getHost() == null || !List.of(schemes).contains(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(variable + ": '" + text + "' must be a " + String.join(" or ", schemes)
                    + " address");
        }
        return text;
    }
}
