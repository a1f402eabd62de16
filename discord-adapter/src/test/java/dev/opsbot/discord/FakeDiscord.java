package dev.opsbot.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import net.dv8tion.jda.api.Permission;

/**
 * A small, local Discord: the REST API (JDK HTTP server) and the gateway (a websocket server)
 * that the real JDA talks to through {@code DISCORD_API_URL} and {@code DISCORD_GATEWAY_URL}.
 * It keeps one server with one text channel, records every REST request, stores the messages
 * posted and edited, and sends interactions (slash commands, button presses, modal submits)
 * over the gateway the way Discord does: to every connected session of the bot, taking only
 * the first initial response to each ({@link InteractionCallbacks}). Several bot processes can
 * share it, each through its own {@link #environment(String)}, so that every request and
 * connection says which process made it.
 */
public final class FakeDiscord implements AutoCloseable {
    static final String TOKEN = "fake-bot-token";
    static final String BOT_ID = "1200000000000000001";
    static final String APPLICATION_ID = BOT_ID;
    static final String GUILD_ID = "1200000000000000100";
    static final String CHANNEL_ID = "1200000000000000200";
    static final String DM_CHANNEL_ID = "1200000000000000210";
    static final String BOT_ROLE_ID = "1200000000000000301";
    static final String DEPLOYER_ROLE_ID = "1200000000000000302";
    static final String OWNER_ID = "1200000000000000400";
    private static final long DISCORD_EPOCH = 1420070400000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A person who uses the bot; {@code roles} are role ids in the fake's server. */
    public record Person(String id, String name, List<String> roles) { }

    /** A part of a multipart request: {@code payload_json} or an uploaded file. */
    record Part(String name, String fileName, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /**
     * One REST request as JDA sent it; {@code json} is the JSON body or the multipart
     * payload_json, {@code response} what the fake answered (null for none).
     */
    public record Request(String method, String path, String query, JsonNode json, List<Part> files, Instant at,
                   JsonNode response, String replica) {
        public boolean is(String method, String pathPattern) {
            return this.method.equals(method) && path.matches(pathPattern);
        }

        /** The title of the first embed sent, or "". */
        public String title() {
            return json == null ? "" : json.path("embeds").path(0).path("title").asText();
        }
    }

    private final FakeRestApi rest = new FakeRestApi(this::snowflake);
    private final FakeGateway gateway = new FakeGateway();
    private final Map<String, Instant> interactionsSent = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    public FakeDiscord start() throws InterruptedException {
        rest.start();
        gateway.start();
        if (!gateway.started.await(10, TimeUnit.SECONDS) || gateway.failure != null) {
            throw new IllegalStateException("the fake gateway did not start", gateway.failure);
        }
        return this;
    }

    String apiUrl() {
        return rest.url();
    }

    String gatewayUrl() {
        return gateway.url();
    }

    /** The variables a deployment would set, pointing at this fake. */
    public Map<String, String> environment() {
        return Map.of("DISCORD_TOKEN", TOKEN, "DISCORD_API_URL", apiUrl(), "DISCORD_GATEWAY_URL", gatewayUrl(),
                "DISCORD_GUILD_IDS", GUILD_ID);
    }

    /**
     * The variables for one bot process of several on this Discord: the same bot and server,
     * REST under {@code /r/<replica>} and the gateway at {@code /<replica>}, so every request and
     * session is marked with {@code replica}.
     */
    public Map<String, String> environment(String replica) {
        if (!replica.matches("[a-z0-9-]+")) throw new IllegalArgumentException("replica names are lower-case letters, digits, dashes");
        return Map.of("DISCORD_TOKEN", TOKEN, "DISCORD_API_URL", apiUrl() + FakeRestApi.REPLICA_PREFIX + replica,
                "DISCORD_GATEWAY_URL", gatewayUrl() + "/" + replica, "DISCORD_GUILD_IDS", GUILD_ID);
    }

    /** Which replica's initial response to each interaction was taken, and which were refused. */
    public InteractionCallbacks callbacks() {
        return rest.callbacks();
    }

    /** The replicas with a session on the gateway now (identified), one entry per session. */
    public List<String> sessions() {
        return gateway.sessions.stream().map(s -> s.<String>getAttachment()).toList();
    }

    /** Waits until {@code replica} has a session on the gateway. */
    public void awaitSession(String replica, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!sessions().contains(replica)) {
            if (System.nanoTime() > deadline) throw new AssertionError("no gateway session of " + replica + " within " + timeout
                    + "; sessions: " + sessions());
            Thread.sleep(20);
        }
    }

    DiscordSettings settings() {
        return DiscordSettings.fromEnvironment(environment());
    }

    /**
     * Discord asks every session to reconnect (op 7), as it does before moving a session: the
     * client closes, connects again and resumes (op 6); events dispatched in between are replayed.
     */
    public void askToReconnect() {
        gateway.sessions.forEach(s -> gateway.send(s, JSON.createObjectNode().put("op", 7).putNull("d")));
    }

    /** Discord closes every session with {@code code} (4000: "unknown error", which a client resumes after). */
    public void closeSessions(int code) {
        gateway.sessions.forEach(s -> s.close(code, "closed by the fake"));
    }

    /** How many sessions were resumed (op 6) and how many identified afresh (op 2). */
    public int resumes() {
        return gateway.resumes.get();
    }

    public int identifies() {
        return gateway.identifies.get();
    }

    @Override
    public void close() throws InterruptedException {
        gateway.stop(1000);
        rest.stop();
    }

    // ---------------------------------------------------------------- what JDA did

    public List<Request> requests() {
        return rest.requests();
    }

    /** Waits for the first request that matches, recorded at any time since start. */
    public Request awaitRequest(String method, String pathPattern, Duration timeout) throws InterruptedException {
        return awaitRequest(r -> r.is(method, pathPattern), timeout, method + " " + pathPattern);
    }

    public Request awaitRequest(Predicate<Request> match, Duration timeout, String what) throws InterruptedException {
        return rest.awaitRequest(match, timeout, what);
    }

    /** All requests that match, in the order they came. */
    public List<Request> requests(String method, String pathPattern) {
        return rest.requests().stream().filter(r -> r.is(method, pathPattern)).toList();
    }

    /** The message as the fake stores it now (after edits), or null. */
    JsonNode message(String id) {
        return rest.message(id);
    }

    /** The identify payload JDA sent over the gateway. */
    JsonNode identify(Duration timeout) throws InterruptedException {
        if (!gateway.identified.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no IDENTIFY within " + timeout);
        }
        return gateway.identify;
    }

    /** When the interaction with this id was sent over the gateway. */
    Instant sentAt(String interactionId) {
        return interactionsSent.get(interactionId);
    }

    public String summary() {
        return rest.summary();
    }

    // ---------------------------------------------------------------- interactions

    /** A person in the server who may deploy. */
    public static Person deployer() {
        return new Person("1200000000000000501", "dana", List.of(DEPLOYER_ROLE_ID));
    }

    /** A person in the server with no role. */
    static Person bystander() {
        return new Person("1200000000000000502", "sam", List.of());
    }

    /**
     * Sends {@code /ops <subcommand> option:value…} in the server's channel; returns the
     * interaction id. Integer values are sent as numbers.
     */
    public String slashCommand(Person person, String subcommand, Map<String, Object> options) {
        return dispatchInteraction(2, person, command(subcommand, options), null, false);
    }

    /** Sends {@code /ops …} in the person's direct conversation with the bot; returns the interaction id. */
    String slashCommandInDirectMessage(Person person, String subcommand, Map<String, Object> options) {
        return dispatchInteraction(2, person, command(subcommand, options), null, true);
    }

    private ObjectNode command(String subcommand, Map<String, Object> options) {
        ObjectNode data = JSON.createObjectNode().put("id", "1200000000000000900").put("name", "ops").put("type", 1)
                .put("guild_id", GUILD_ID);
        ObjectNode sub = data.putArray("options").addObject().put("name", subcommand).put("type", 1);
        ArrayNode subOptions = sub.putArray("options");
        options.forEach((name, value) -> {
            ObjectNode o = subOptions.addObject().put("name", name);
            if (value instanceof Number n) {
                o.put("type", 4).put("value", n.longValue());
            } else {
                o.put("type", 3).put("value", String.valueOf(value));
            }
        });
        return data;
    }

    /** Presses the button with {@code customId} on a message the bot posted; returns the interaction id. */
    String pressButton(Person person, String messageId, String customId) {
        ObjectNode data = JSON.createObjectNode().put("custom_id", customId).put("component_type", 2);
        return dispatchInteraction(3, person, data, messageOrPlaceholder(messageId), false);
    }

    /** Submits the modal {@code customId} opened from a button on {@code messageId}; returns the interaction id. */
    String submitModal(Person person, String messageId, String customId, Map<String, String> values) {
        ObjectNode data = JSON.createObjectNode().put("custom_id", customId);
        ArrayNode components = data.putArray("components");
        values.forEach((input, value) -> {
            ObjectNode label = components.addObject().put("type", 18).put("id", ids.incrementAndGet());
            label.putObject("component").put("type", 4).put("id", ids.incrementAndGet())
                    .put("custom_id", input).put("value", value);
        });
        return dispatchInteraction(5, person, data, messageOrPlaceholder(messageId), false);
    }

    /** A fresh snowflake: JDA dates interactions by their id and refuses to answer old ones. */
    String snowflake() {
        return snowflake(Instant.now());
    }

    String snowflake(Instant at) {
        return Long.toString(((at.toEpochMilli() - DISCORD_EPOCH) << 22) | (ids.incrementAndGet() & 0x3FFFFF));
    }

    private ObjectNode messageOrPlaceholder(String messageId) {
        ObjectNode stored = rest.message(messageId);
        if (stored != null) return stored.deepCopy();
        // An ephemeral message: Discord sends it along with the press, it is not in the channel.
        return DiscordJson.message(messageId, CHANNEL_ID, JSON.createObjectNode()).put("flags", 64);
    }

    private String dispatchInteraction(int type, Person person, ObjectNode data, ObjectNode message, boolean direct) {
        String id = snowflake();
        ObjectNode d = JSON.createObjectNode().put("id", id).put("application_id", APPLICATION_ID).put("type", type)
                .put("version", 1).put("token", "interaction-token-" + id).put("locale", "en-US")
                .put("app_permissions", Long.toString(Permission.getRaw(DiscordAdapter.PERMISSIONS)));
        if (direct) {
            d.put("channel_id", DM_CHANNEL_ID).put("context", 1);
            d.set("channel", DiscordJson.directChannel(person));
            d.putObject("authorizing_integration_owners").put("0", "0");
            d.set("user", DiscordJson.user(person.id(), person.name(), false));
        } else {
            d.put("guild_id", GUILD_ID).put("channel_id", CHANNEL_ID).put("context", 0).put("guild_locale", "en-US");
            d.putObject("guild").put("id", GUILD_ID).put("locale", "en-US").putArray("features");
            d.set("channel", DiscordJson.textChannel());
            d.putObject("authorizing_integration_owners").put("0", GUILD_ID);
            ObjectNode member = d.putObject("member");
            member.set("user", DiscordJson.user(person.id(), person.name(), false));
            ArrayNode roles = member.putArray("roles");
            person.roles().forEach(roles::add);
            member.put("joined_at", "2024-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false)
                    .put("flags", 0).put("pending", false).put("permissions", "1024");
        }
        d.putArray("entitlements");
        d.set("data", data);
        if (message != null) d.set("message", message);
        interactionsSent.put(id, Instant.now());
        gateway.dispatch("INTERACTION_CREATE", d);
        return id;
    }
}
