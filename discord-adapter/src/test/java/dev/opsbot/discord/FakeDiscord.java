package dev.opsbot.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.Permission;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

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

    private final HttpServer http;
    private final Gateway gateway;
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    private final Map<String, String> originals = new ConcurrentHashMap<>();
    private final Map<String, Instant> interactionsSent = new ConcurrentHashMap<>();
    private final InteractionCallbacks callbacks = new InteractionCallbacks();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private final Object changed = new Object();

    public FakeDiscord() {
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/", this::handle);
        http.setExecutor(httpThreads);
        gateway = new Gateway();
    }

    public FakeDiscord start() throws InterruptedException {
        http.start();
        gateway.start();
        if (!gateway.started.await(10, TimeUnit.SECONDS) || gateway.failure != null) {
            throw new IllegalStateException("the fake gateway did not start", gateway.failure);
        }
        return this;
    }

    String apiUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    String gatewayUrl() {
        return "ws://127.0.0.1:" + gateway.getPort();
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
        return Map.of("DISCORD_TOKEN", TOKEN, "DISCORD_API_URL", apiUrl() + REPLICA_PREFIX + replica,
                "DISCORD_GATEWAY_URL", gatewayUrl() + "/" + replica, "DISCORD_GUILD_IDS", GUILD_ID);
    }

    /** Which replica's initial response to each interaction was taken, and which were refused. */
    public InteractionCallbacks callbacks() {
        return callbacks;
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
        http.stop(0);
        httpThreads.shutdownNow();
    }

    // ---------------------------------------------------------------- what JDA did

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits for the first request that matches, recorded at any time since start. */
    public Request awaitRequest(String method, String pathPattern, Duration timeout) throws InterruptedException {
        return awaitRequest(r -> r.is(method, pathPattern), timeout, method + " " + pathPattern);
    }

    public Request awaitRequest(Predicate<Request> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (true) {
                for (Request r : requests) {
                    if (match.test(r)) return r;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no request " + what + " within " + timeout + "; got " + summary());
                TimeUnit.NANOSECONDS.timedWait(changed, left);
            }
        }
    }

    /** All requests that match, in the order they came. */
    public List<Request> requests(String method, String pathPattern) {
        return requests.stream().filter(r -> r.is(method, pathPattern)).toList();
    }

    /** The message as the fake stores it now (after edits), or null. */
    JsonNode message(String id) {
        return messages.get(id);
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
        List<String> lines = new ArrayList<>();
        for (Request r : requests) lines.add(r.method() + " " + r.path());
        return lines.toString();
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
        ObjectNode stored = messages.get(messageId);
        if (stored != null) return stored.deepCopy();
        // An ephemeral message: Discord sends it along with the press, it is not in the channel.
        return message(messageId, CHANNEL_ID, JSON.createObjectNode()).put("flags", 64);
    }

    private String dispatchInteraction(int type, Person person, ObjectNode data, ObjectNode message, boolean direct) {
        String id = snowflake();
        ObjectNode d = JSON.createObjectNode().put("id", id).put("application_id", APPLICATION_ID).put("type", type)
                .put("version", 1).put("token", "interaction-token-" + id).put("locale", "en-US")
                .put("app_permissions", Long.toString(Permission.getRaw(DiscordAdapter.PERMISSIONS)));
        if (direct) {
            d.put("channel_id", DM_CHANNEL_ID).put("context", 1);
            d.set("channel", directChannel(person));
            d.putObject("authorizing_integration_owners").put("0", "0");
            d.set("user", user(person.id(), person.name(), false));
        } else {
            d.put("guild_id", GUILD_ID).put("channel_id", CHANNEL_ID).put("context", 0).put("guild_locale", "en-US");
            d.putObject("guild").put("id", GUILD_ID).put("locale", "en-US").putArray("features");
            d.set("channel", textChannel());
            d.putObject("authorizing_integration_owners").put("0", GUILD_ID);
            ObjectNode member = d.putObject("member");
            member.set("user", user(person.id(), person.name(), false));
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

    // ---------------------------------------------------------------- REST

    /** Discord's answer to a second initial response to one interaction. */
    private static final Object ALREADY_ACKNOWLEDGED = new Object();
    private static final JsonNode REFUSED = JSON.createObjectNode().put("message", "Interaction has already been acknowledged.")
            .put("code", 40060);
    private static final Pattern CALLBACK = Pattern.compile("/api/v10/interactions/(\\d+)/([^/]+)/callback");
    private static final Pattern ORIGINAL = Pattern.compile("/api/v10/webhooks/(\\d+)/([^/]+)/messages/@original");
    private static final Pattern FOLLOWUP = Pattern.compile("/api/v10/webhooks/(\\d+)/([^/]+)");
    private static final Pattern CHANNEL_MESSAGES = Pattern.compile("/api/v10/channels/(\\d+)/messages");
    private static final Pattern CHANNEL_MESSAGE = Pattern.compile("/api/v10/channels/(\\d+)/messages/(\\d+)");
    private static final Pattern THREAD_FROM_MESSAGE = Pattern.compile("/api/v10/channels/(\\d+)/messages/(\\d+)/threads");
    private static final Pattern COMMANDS = Pattern.compile("/api/v10/applications/(\\d+)(/guilds/(\\d+))?/commands");
    /** REST addresses of named replicas: {@code /r/<replica>/api/v10/…}. */
    private static final String REPLICA_PREFIX = "/r/";
    private static final Pattern REPLICA_PATH = Pattern.compile("/r/([a-z0-9-]+)(/.*)");

    /** An error answer: HTTP status, Discord's error code and message. */
    private record Refusal(int status, int code, String message) {
        JsonNode body() {
            return JSON.createObjectNode().put("message", message).put("code", code);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String replica = "";
            Matcher named = REPLICA_PATH.matcher(path);
            if (named.matches()) {
                replica = named.group(1);
                path = named.group(2);
            }
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            JsonNode json = null;
            List<Part> files = new ArrayList<>();
            if (contentType.startsWith("multipart/form-data")) {
                for (Part part : multipart(contentType, body)) {
                    if (part.name().equals("payload_json")) {
                        json = JSON.readTree(part.data());
                    } else {
                        files.add(part);
                    }
                }
            } else if (body.length > 0) {
                json = JSON.readTree(body);
            }
            Request request = new Request(method, path, query, json, List.copyOf(files), Instant.now(), null, replica);
            if (!("Bot " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))
                    && !path.startsWith("/api/v10/interactions/") && !path.startsWith("/api/v10/webhooks/")) {
                record(request);
                respond(exchange, 401, JSON.createObjectNode().put("message", "401: Unauthorized").put("code", 0));
                return;
            }
            Object answer = route(request);
            record(new Request(method, path, query, json, request.files(), request.at(),
                    answer instanceof JsonNode node ? node : answer instanceof Refusal refusal ? refusal.body() : null, replica));
            if (answer == null) {
                exchange.sendResponseHeaders(204, -1);
            } else if (answer instanceof Refusal refusal) {
                respond(exchange, refusal.status(), refusal.body());
            } else if (answer instanceof Integer status) {
                respond(exchange, status, JSON.createObjectNode().put("message", "Unknown").put("code", 10008));
            } else {
                respond(exchange, 200, (JsonNode) answer);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private void record(Request request) {
        synchronized (changed) {
            requests.add(request);
            changed.notifyAll();
        }
    }

    /** The response body for a request: JSON, null for 204, an Integer error status, or a {@link Refusal}. */
    private Object route(Request r) {
        String path = r.path();
        Matcher m;
        if (r.is("GET", "/api/v10/users/@me")) return user(BOT_ID, "opsbot", true);
        if ((m = COMMANDS.matcher(path)).matches() && r.method().equals("PUT")) {
            ArrayNode registered = JSON.createArrayNode();
            for (JsonNode command : r.json()) {
                ObjectNode c = ((ObjectNode) command.deepCopy()).put("id", snowflake())
                        .put("application_id", APPLICATION_ID).put("version", snowflake());
                if (m.group(3) != null) c.put("guild_id", m.group(3));
                if (!c.has("type")) c.put("type", 1);
                registered.add(c);
            }
            return registered;
        }
        if ((m = CALLBACK.matcher(path)).matches() && r.method().equals("POST")) {
            boolean first = callbacks.take(new InteractionCallbacks.Callback(m.group(1), r.replica(),
                    r.json() == null ? 0 : r.json().path("type").asInt(), r.at()));
            return first ? null : new Refusal(InteractionCallbacks.STATUS, InteractionCallbacks.ALREADY_ACKNOWLEDGED,
                    InteractionCallbacks.MESSAGE);
        }
        if (r.is("POST", "/api/v10/users/@me/channels")) {
            return directChannel(new Person(r.json().path("recipient_id").asText(), "someone", List.of()));
        }
        if ((m = ORIGINAL.matcher(path)).matches()) {
            String id = originals.computeIfAbsent(m.group(2), t -> snowflake());
            return store(id, CHANNEL_ID, r.json(), r.files(), 64);
        }
        if (FOLLOWUP.matcher(path).matches() && r.method().equals("POST")) {
            int flags = r.json() != null && r.json().path("flags").asInt() == 64 ? 64 : 0;
            return store(snowflake(), CHANNEL_ID, r.json(), r.files(), flags);
        }
        if ((m = THREAD_FROM_MESSAGE.matcher(path)).matches() && r.method().equals("POST")) {
            return thread(m.group(2), m.group(1), r.json().path("name").asText());
        }
        if ((m = CHANNEL_MESSAGES.matcher(path)).matches() && r.method().equals("POST")) {
            return store(snowflake(), m.group(1), r.json(), r.files(), 0);
        }
        if ((m = CHANNEL_MESSAGE.matcher(path)).matches()) {
            ObjectNode stored = messages.get(m.group(2));
            if (stored == null) return 404;
            if (r.method().equals("PATCH")) return store(m.group(2), m.group(1), r.json(), r.files(), 0);
            if (r.method().equals("GET")) return stored;
        }
        return 404;
    }

    /** Stores a posted or edited message: an edit replaces only the fields it sends. */
    private ObjectNode store(String id, String channelId, JsonNode body, List<Part> files, int flags) {
        ObjectNode message = messages.computeIfAbsent(id, k -> message(id, channelId, JSON.createObjectNode()));
        synchronized (message) {
            if (body != null) {
                body.fieldNames().forEachRemaining(field -> {
                    if (List.of("content", "embeds", "components").contains(field)) message.set(field, body.get(field));
                });
                // Discord answers with the embeds' type, which JDA requires.
                message.path("embeds").forEach(embed -> ((ObjectNode) embed).put("type", "rich"));
                if (body.has("message_reference")) message.set("message_reference", body.get("message_reference"));
            }
            if (flags != 0) message.put("flags", flags);
            if (!files.isEmpty()) {
                ArrayNode attachments = message.putArray("attachments");
                for (Part file : files) {
                    attachments.addObject().put("id", snowflake()).put("filename", file.fileName())
                            .put("size", file.data().length).put("url", apiUrl() + "/attachments/" + file.fileName())
                            .put("proxy_url", apiUrl() + "/attachments/" + file.fileName())
                            .put("content_type", "text/plain");
                }
            }
            return message.deepCopy();
        }
    }

    private ObjectNode message(String id, String channelId, ObjectNode base) {
        ObjectNode m = base.put("id", id).put("channel_id", channelId).put("type", 0).put("content", "")
                .put("timestamp", Instant.now().toString()).put("tts", false).put("mention_everyone", false)
                .put("pinned", false).put("flags", 0);
        m.set("author", user(BOT_ID, "opsbot", true));
        m.putArray("embeds");
        m.putArray("components");
        m.putArray("attachments");
        m.putArray("mentions");
        m.putArray("mention_roles");
        return m;
    }

    private ObjectNode thread(String messageId, String parentId, String name) {
        ObjectNode thread = JSON.createObjectNode().put("id", messageId).put("type", 11).put("guild_id", GUILD_ID)
                .put("parent_id", parentId).put("name", name).put("owner_id", BOT_ID).put("message_count", 0)
                .put("member_count", 1).put("rate_limit_per_user", 0).put("flags", 0).put("total_message_sent", 0);
        thread.putObject("thread_metadata").put("archived", false).put("auto_archive_duration", 1440)
                .put("archive_timestamp", Instant.now().toString()).put("locked", false);
        thread.putArray("applied_tags");
        return thread;
    }

    private static List<Part> multipart(String contentType, byte[] body) {
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length()).replace("\"", "");
        String text = new String(body, StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        for (String chunk : text.split("--" + Pattern.quote(boundary))) {
            int split = chunk.indexOf("\r\n\r\n");
            if (split < 0) continue;
            String headers = chunk.substring(0, split);
            String content = chunk.substring(split + 4);
            if (content.endsWith("\r\n")) content = content.substring(0, content.length() - 2);
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
            Matcher file = Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
            parts.add(new Part(name.find() ? name.group(1) : "", file.find() ? file.group(1) : null,
                    content.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return parts;
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    // ---------------------------------------------------------------- the server

    private static ObjectNode user(String id, String name, boolean bot) {
        ObjectNode u = JSON.createObjectNode().put("id", id).put("username", name).put("discriminator", "0")
                .put("global_name", name).put("bot", bot).put("flags", 0).put("public_flags", 0);
        u.putNull("avatar");
        return u;
    }

    private static ObjectNode role(String id, String name, int position, long permissions) {
        ObjectNode role = JSON.createObjectNode().put("id", id).put("name", name).put("position", position)
                .put("permissions", Long.toString(permissions)).put("managed", false).put("mentionable", false)
                .put("hoist", false).put("flags", 0).put("color", 0);
        role.putObject("colors").put("primary_color", 0).putNull("secondary_color").putNull("tertiary_color");
        return role;
    }

    private static ObjectNode textChannel() {
        ObjectNode channel = JSON.createObjectNode().put("id", CHANNEL_ID).put("type", 0).put("guild_id", GUILD_ID)
                .put("name", "ops").put("position", 0).put("nsfw", false).put("rate_limit_per_user", 0)
                .put("flags", 0);
        channel.putArray("permission_overwrites");
        return channel;
    }

    private static ObjectNode directChannel(Person person) {
        ObjectNode channel = JSON.createObjectNode().put("id", DM_CHANNEL_ID).put("type", 1).put("flags", 0);
        channel.putArray("recipients").add(user(person.id(), person.name(), false));
        return channel;
    }

    private ObjectNode guild() {
        ObjectNode g = JSON.createObjectNode().put("id", GUILD_ID).put("name", "Operations").put("owner_id", OWNER_ID)
                .put("afk_timeout", 300).put("member_count", 3).put("large", false).put("unavailable", false)
                .put("preferred_locale", "en-US").put("verification_level", 0).put("mfa_level", 0)
                .put("nsfw_level", 0).put("premium_tier", 0).put("default_message_notifications", 0)
                .put("explicit_content_filter", 0).put("system_channel_flags", 0);
        g.putNull("icon");
        ArrayNode roles = g.putArray("roles");
        // @everyone may do nothing: the bot works only through the permissions it is invited with.
        roles.add(role(GUILD_ID, "@everyone", 0, 0));
        roles.add(role(BOT_ROLE_ID, "opsbot", 1, Permission.getRaw(DiscordAdapter.PERMISSIONS)));
        roles.add(role(DEPLOYER_ROLE_ID, "deployers", 2, 0));
        g.putArray("channels").add(textChannel());
        g.putArray("threads");
        ObjectNode bot = g.putArray("members").addObject();
        bot.set("user", user(BOT_ID, "opsbot", true));
        bot.putArray("roles").add(BOT_ROLE_ID);
        bot.put("joined_at", "2024-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0);
        for (String empty : List.of("emojis", "stickers", "voice_states", "presences", "guild_scheduled_events",
                "features", "stage_instances", "soundboard_sounds")) {
            g.putArray(empty);
        }
        return g;
    }

    /** The gateway: HELLO, IDENTIFY, READY and GUILD_CREATE, heartbeats, then dispatched events. */
    private final class Gateway extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch identified = new CountDownLatch(1);
        volatile JsonNode identify;
        volatile Exception failure;
        final List<WebSocket> sessions = new CopyOnWriteArrayList<>();
        final AtomicInteger resumes = new AtomicInteger();
        final AtomicInteger identifies = new AtomicInteger();
        /** Every event dispatched, by replica, so that a resumed session gets what it missed. */
        private final List<Sent> sent = new CopyOnWriteArrayList<>();

        private record Sent(String replica, long seq, JsonNode event) { }

        Gateway() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
            // The first path segment names the replica (environment(replica)); none for the plain address.
            String path = handshake.getResourceDescriptor().replaceAll("[?].*$", "");
            socket.setAttachment(path.replaceAll("^/+", "").replaceAll("/.*$", ""));
            ObjectNode hello = JSON.createObjectNode().put("op", 10);
            hello.putNull("s");
            hello.putNull("t");
            hello.putObject("d").put("heartbeat_interval", 41_250);
            send(socket, hello);
        }

        @Override
        public void onMessage(WebSocket socket, String text) {
            JsonNode payload;
            try {
                payload = JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            switch (payload.path("op").asInt()) {
                case 1 -> send(socket, JSON.createObjectNode().put("op", 11));
                case 6 -> {
                    resumes.incrementAndGet();
                    String replica = socket.getAttachment();
                    long seen = payload.path("d").path("seq").asLong();
                    sessions.add(socket);
                    sent.stream().filter(e -> e.replica().equals(replica) && e.seq() > seen).forEach(e -> send(socket, e.event()));
                    dispatch(socket, "RESUMED", JSON.createObjectNode());
                }
                case 2 -> {
                    identifies.incrementAndGet();
                    identify = payload.get("d");
                    sessions.add(socket);
                    String replica = socket.getAttachment();
                    ObjectNode ready = JSON.createObjectNode().put("v", 10).put("session_id", "fake-session-" + replica)
                            .put("resume_gateway_url", replica.isEmpty() ? gatewayUrl() : gatewayUrl() + "/" + replica);
                    ready.set("user", user(BOT_ID, "opsbot", true));
                    ready.putArray("guilds").addObject().put("id", GUILD_ID).put("unavailable", true);
                    ready.putObject("application").put("id", APPLICATION_ID).put("flags", 0);
                    ready.putArray("private_channels");
                    ready.putArray("shard").add(0).add(1);
                    dispatch(socket, "READY", ready);
                    dispatch(socket, "GUILD_CREATE", guild());
                    identified.countDown();
                }
                default -> { }
            }
        }

        void dispatch(String type, JsonNode data) {
            if (sessions.isEmpty()) throw new IllegalStateException("no client is connected to the gateway");
            sessions.forEach(s -> dispatch(s, type, data));
        }

        private void dispatch(WebSocket socket, String type, JsonNode data) {
            long seq = sequence.incrementAndGet();
            ObjectNode event = JSON.createObjectNode().put("op", 0).put("s", seq).put("t", type);
            event.set("d", data);
            sent.add(new Sent(socket.getAttachment(), seq, event));
            send(socket, event);
        }

        private void send(WebSocket socket, JsonNode payload) {
            try {
                socket.send(JSON.writeValueAsString(payload));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            sessions.remove(socket);
        }

        @Override
        public void onError(WebSocket socket, Exception e) {
            if (socket == null) {
                failure = e;
                started.countDown();
            }
        }
    }
}
