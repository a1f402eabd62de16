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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * As much of Discord as the adapter needs to start: the REST calls it makes while connecting
 * (the bot user, registering {@code /ops} in one server) and a gateway that says hello, accepts
 * the identify and sends READY with one server. Enough to time a start and measure an idle bot.
 */
final class FakeDiscordApi implements AutoCloseable {
    static final String TOKEN = "bench-discord-token";
    static final String BOT_ID = "1300000000000000001";
    static final String GUILD_ID = "1300000000000000100";
    static final String CHANNEL_ID = "1300000000000000200";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "fake-discord");
        t.setDaemon(true);
        return t;
    });
    private final Gateway gateway = new Gateway();
    private final AtomicLong ids = new AtomicLong(1300000000000001000L);

    FakeDiscordApi() throws IOException, InterruptedException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getRawPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            JsonNode answer;
            if (method.equals("GET") && path.endsWith("/users/@me")) {
                answer = user(BOT_ID, "opsbot", true);
            } else if (method.equals("PUT") && path.contains("/commands")) {
                ArrayNode registered = JSON.createArrayNode();
                for (JsonNode c : JSON.readTree(body)) {
                    ObjectNode r = ((ObjectNode) c.deepCopy()).put("id", Long.toString(ids.incrementAndGet()))
                            .put("application_id", BOT_ID).put("version", Long.toString(ids.incrementAndGet()));
                    if (path.contains("/guilds/")) r.put("guild_id", GUILD_ID);
                    if (!r.has("type")) r.put("type", 1);
                    registered.add(r);
                }
                answer = registered;
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

    @Override
    public void close() throws InterruptedException {
        gateway.stop(1000);
        http.stop(0);
        threads.shutdownNow();
    }

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
        ObjectNode channel = JSON.createObjectNode().put("id", CHANNEL_ID).put("type", 0).put("guild_id", GUILD_ID)
                .put("name", "ops").put("position", 0).put("nsfw", false).put("rate_limit_per_user", 0).put("flags", 0);
        channel.putArray("permission_overwrites");
        g.putArray("channels").add(channel);
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

    /** HELLO, IDENTIFY, READY and GUILD_CREATE, heartbeat acknowledgements. */
    private final class Gateway extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        private final AtomicLong sequence = new AtomicLong();

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
                }
                default -> { }
            }
        }

        private void dispatch(WebSocket socket, String type, JsonNode data) {
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
        }

        @Override
        public void onError(WebSocket socket, Exception e) {
        }
    }
}
