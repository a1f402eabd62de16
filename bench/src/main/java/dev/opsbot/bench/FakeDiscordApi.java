package dev.opsbot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * As much of Discord as the adapter needs to start and to answer commands: the REST calls it
 * makes while connecting (the bot user, registering {@code /ops} in one server), a gateway that
 * says hello, accepts the identify, sends READY with one server of {@link #CHANNELS} text
 * channels, and then whatever events a benchmark dispatches (interactions); and the REST calls
 * of answering them (the interaction callback, edits of the original response, follow-ups and
 * channel messages), each answered at once and reported to a listener as it arrives.
 */
final class FakeDiscordApi implements AutoCloseable {
    static final String TOKEN = "bench-discord-token";
    static final String BOT_ID = "1300000000000000001";
    static final String GUILD_ID = "1300000000000000100";
    /** The first text channel's id; the others follow it. */
    static final long FIRST_CHANNEL = 1300000000000010000L;
    /** Text channels in the server: enough for each command of a load to answer in a channel of its own, nearly. */
    static final int CHANNELS = 1000;
    static final String CHANNEL_ID = Long.toString(FIRST_CHANNEL);
    private static final long DISCORD_EPOCH = 1420070400000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CALLBACK = Pattern.compile("/api/v\\d+/interactions/(\\d+)/([^/]+)/callback");
    private static final Pattern ORIGINAL = Pattern.compile("/api/v\\d+/webhooks/(\\d+)/([^/]+)/messages/@original");
    private static final Pattern FOLLOWUP = Pattern.compile("/api/v\\d+/webhooks/(\\d+)/([^/]+)");
    private static final Pattern CHANNEL_MESSAGES = Pattern.compile("/api/v\\d+/channels/(\\d+)/messages");

    /** A REST call the bot made while answering: its kind, the interaction token or channel it is for, its JSON body. */
    record Call(String kind, String target, JsonNode body, long atNanos) {
        static final String CALLBACK = "callback";
        static final String ORIGINAL = "original";
        static final String FOLLOWUP = "followup";
        static final String CHANNEL_MESSAGE = "channel-message";
    }

    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "fake-discord");
        t.setDaemon(true);
        return t;
    });
    private final Gateway gateway = new Gateway();
    private final AtomicLong ids = new AtomicLong(1300000000000100000L);
    private final AtomicLong snowflakes = new AtomicLong();
    private volatile Consumer<Call> listener = c -> { };

    FakeDiscordApi() throws IOException, InterruptedException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        http.createContext("/", this::handle);
        http.setExecutor(threads);
        http.start();
        gateway.start();
        if (!gateway.started.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the fake gateway did not start");
    }

    /** The variables that point the bot at this fake. */
    Map<String, String> environment() {
        return Map.of("DISCORD_TOKEN", TOKEN,
                "DISCORD_API_URL", "http://127.0.0.1:" + http.getAddress().getPort(),
                "DISCORD_GATEWAY_URL", "ws://127.0.0.1:" + gateway.getPort(),
                "DISCORD_GUILD_IDS", GUILD_ID);
    }

    /** Called for every call of answering as it arrives (on the fake's threads). */
    void onCall(Consumer<Call> listener) {
        this.listener = listener;
    }

    /** Waits until a client identified and was sent the server. */
    void awaitIdentified(long millis) throws InterruptedException {
        if (!gateway.identified.await(millis, TimeUnit.MILLISECONDS)) throw new IllegalStateException("nobody connected to the fake gateway");
    }

    /** A snowflake of now: JDA dates interactions by their id. */
    String snowflake() {
        return Long.toString(((System.currentTimeMillis() - DISCORD_EPOCH) << 22) | (snowflakes.incrementAndGet() & 0x3FFFFF));
    }

    /** Sends an event to every connected client. */
    void dispatch(String type, JsonNode data) {
        gateway.dispatch(type, data);
    }

    /** Text in a message the bot sent: its content and its embeds' titles and descriptions. */
    static String text(JsonNode body) {
        if (body == null) return "";
        StringBuilder b = new StringBuilder(body.path("content").asText());
        for (JsonNode embed : body.path("embeds")) {
            b.append('\n').append(embed.path("title").asText()).append('\n').append(embed.path("description").asText());
        }
        return b.toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            long at = System.nanoTime();
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            byte[] raw = ex.getRequestBody().readAllBytes();
            JsonNode body = raw.length > 0 && String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")
                    ? JSON.readTree(raw) : null;
            Matcher m;
            JsonNode answer;
            if (method.equals("GET") && path.endsWith("/users/@me")) {
                answer = user(BOT_ID, "opsbot", true);
            } else if (method.equals("PUT") && path.contains("/commands")) {
                answer = registered(path, JSON.readTree(raw));
            } else if (method.equals("POST") && (m = CALLBACK.matcher(path)).matches()) {
                listener.accept(new Call(Call.CALLBACK, m.group(2), body, at));
                ex.sendResponseHeaders(204, -1);
                return;
            } else if ((m = ORIGINAL.matcher(path)).matches()) {
                listener.accept(new Call(Call.ORIGINAL, m.group(2), body, at));
                answer = message(CHANNEL_ID, body, 64);
            } else if (method.equals("POST") && (m = FOLLOWUP.matcher(path)).matches()) {
                listener.accept(new Call(Call.FOLLOWUP, m.group(2), body, at));
                answer = message(CHANNEL_ID, body, 64);
            } else if (method.equals("POST") && (m = CHANNEL_MESSAGES.matcher(path)).matches()) {
                listener.accept(new Call(Call.CHANNEL_MESSAGE, m.group(1), body, at));
                answer = message(m.group(1), body, 0);
            } else {
                byte[] bytes = "{\"message\":\"Unknown\",\"code\":0}".getBytes();
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(404, bytes.length);
                ex.getResponseBody().write(bytes);
                return;
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    private JsonNode registered(String path, JsonNode commands) {
        ArrayNode registered = JSON.createArrayNode();
        for (JsonNode c : commands) {
            ObjectNode r = ((ObjectNode) c.deepCopy()).put("id", Long.toString(ids.incrementAndGet()))
                    .put("application_id", BOT_ID).put("version", Long.toString(ids.incrementAndGet()));
            if (path.contains("/guilds/")) r.put("guild_id", GUILD_ID);
            if (!r.has("type")) r.put("type", 1);
            registered.add(r);
        }
        return registered;
    }

    /** The message as Discord returns it after a post or an edit: what was sent, with the fields JDA needs. */
    private ObjectNode message(String channelId, JsonNode sent, int flags) {
        ObjectNode m = JSON.createObjectNode().put("id", Long.toString(ids.incrementAndGet())).put("channel_id", channelId)
                .put("type", 0).put("content", sent == null ? "" : sent.path("content").asText())
                .put("timestamp", Instant.now().toString()).put("tts", false).put("mention_everyone", false)
                .put("pinned", false).put("flags", flags);
        m.set("author", user(BOT_ID, "opsbot", true));
        ArrayNode embeds = m.putArray("embeds");
        if (sent != null) {
            for (JsonNode e : sent.path("embeds")) embeds.add(((ObjectNode) e.deepCopy()).put("type", "rich"));
        }
        m.set("components", sent != null && sent.has("components") ? sent.get("components") : JSON.createArrayNode());
        m.putArray("attachments");
        m.putArray("mentions");
        m.putArray("mention_roles");
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        gateway.stop(1000);
        http.stop(0);
        threads.shutdownNow();
    }

    static ObjectNode user(String id, String name, boolean bot) {
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

    static ObjectNode textChannel(String id, int position) {
        ObjectNode channel = JSON.createObjectNode().put("id", id).put("type", 0).put("guild_id", GUILD_ID)
                .put("name", "ops-" + position).put("position", position).put("nsfw", false).put("rate_limit_per_user", 0)
                .put("flags", 0);
        channel.putArray("permission_overwrites");
        return channel;
    }

    private static ObjectNode guild() {
        ObjectNode g = JSON.createObjectNode().put("id", GUILD_ID).put("name", "Operations").put("owner_id", "1300000000000000400")
                .put("afk_timeout", 300).put("member_count", 2).put("large", false).put("unavailable", false)
                .put("preferred_locale", "en-US").put("verification_level", 0).put("mfa_level", 0)
                .put("nsfw_level", 0).put("premium_tier", 0).put("default_message_notifications", 0)
                .put("explicit_content_filter", 0).put("system_channel_flags", 0);
        g.putNull("icon");
        ArrayNode roles = g.putArray("roles");
        roles.add(role(GUILD_ID, "@everyone", 0, 0));
        roles.add(role("1300000000000000301", "opsbot", 1, 0x7FFFFFFFL));
        ArrayNode channels = g.putArray("channels");
        for (int i = 0; i < CHANNELS; i++) channels.add(textChannel(Long.toString(FIRST_CHANNEL + i), i));
        g.putArray("threads");
        ObjectNode bot = g.putArray("members").addObject();
        bot.set("user", user(BOT_ID, "opsbot", true));
        bot.putArray("roles").add("1300000000000000301");
        bot.put("joined_at", "2024-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0);
        for (String empty : List.of("emojis", "stickers", "voice_states", "presences", "guild_scheduled_events",
                "features", "stage_instances", "soundboard_sounds")) {
            g.putArray(empty);
        }
        return g;
    }

    /** HELLO, IDENTIFY, READY and GUILD_CREATE, heartbeat acknowledgements, then dispatched events. */
    private final class Gateway extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch identified = new CountDownLatch(1);
        private final AtomicLong sequence = new AtomicLong();
        private final List<WebSocket> sessions = new CopyOnWriteArrayList<>();

        Gateway() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
            setDaemon(true);
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
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
                case 2 -> {
                    ObjectNode ready = JSON.createObjectNode().put("v", 10).put("session_id", "bench-session")
                            .put("resume_gateway_url", "ws://127.0.0.1:" + getPort());
                    ready.set("user", user(BOT_ID, "opsbot", true));
                    ready.putArray("guilds").addObject().put("id", GUILD_ID).put("unavailable", true);
                    ready.putObject("application").put("id", BOT_ID).put("flags", 0);
                    ready.putArray("private_channels");
                    ready.putArray("shard").add(0).add(1);
                    dispatch(socket, "READY", ready);
                    dispatch(socket, "GUILD_CREATE", guild());
                    sessions.add(socket);
                    identified.countDown();
                }
                default -> { }
            }
        }

        void dispatch(String type, JsonNode data) {
            for (WebSocket s : sessions) dispatch(s, type, data);
        }

        /** One at a time, so that events leave in the order of their sequence numbers. */
        private synchronized void dispatch(WebSocket socket, String type, JsonNode data) {
            ObjectNode event = JSON.createObjectNode().put("op", 0).put("s", sequence.incrementAndGet()).put("t", type);
            event.set("d", data);
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
        }
    }
}
