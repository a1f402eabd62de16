package dev.opsbot.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.opsbot.discord.FakeDiscord.Part;
import dev.opsbot.discord.FakeDiscord.Request;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake Discord's REST API (the JDK's HTTP server): it records every request, stores the
 * messages posted and edited, checks the bot's token, and takes only the first initial response
 * to each interaction ({@link InteractionCallbacks}). Requests under {@code /r/<replica>} are
 * marked with the replica that made them.
 */
final class FakeRestApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Pattern CALLBACK = Pattern.compile("/api/v10/interactions/(\\d+)/([^/]+)/callback");
    private static final Pattern ORIGINAL = Pattern.compile("/api/v10/webhooks/(\\d+)/([^/]+)/messages/@original");
    private static final Pattern FOLLOWUP = Pattern.compile("/api/v10/webhooks/(\\d+)/([^/]+)");
    private static final Pattern CHANNEL_MESSAGES = Pattern.compile("/api/v10/channels/(\\d+)/messages");
    private static final Pattern CHANNEL_MESSAGE = Pattern.compile("/api/v10/channels/(\\d+)/messages/(\\d+)");
    private static final Pattern THREAD_FROM_MESSAGE = Pattern.compile("/api/v10/channels/(\\d+)/messages/(\\d+)/threads");
    private static final Pattern COMMANDS = Pattern.compile("/api/v10/applications/(\\d+)(/guilds/(\\d+))?/commands");
    /** REST addresses of named replicas: {@code /r/<replica>/api/v10/…}. */
    static final String REPLICA_PREFIX = "/r/";
    private static final Pattern REPLICA_PATH = Pattern.compile("/r/([a-z0-9-]+)(/.*)");

    /** An error answer: HTTP status, Discord's error code and message. */
    private record Refusal(int status, int code, String message) {
        JsonNode body() {
            return JSON.createObjectNode().put("message", message).put("code", code);
        }
    }

    private final HttpServer http;
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> messages = new ConcurrentHashMap<>();
    private final Map<String, String> originals = new ConcurrentHashMap<>();
    private final InteractionCallbacks callbacks = new InteractionCallbacks();
    private final Object changed = new Object();
    private final Supplier<String> snowflakes;

    FakeRestApi(Supplier<String> snowflakes) {
        this.snowflakes = snowflakes;
        try {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.createContext("/", this::handle);
        http.setExecutor(httpThreads);
    }

    void start() {
        http.start();
    }

    void stop() {
        http.stop(0);
        httpThreads.shutdownNow();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    InteractionCallbacks callbacks() {
        return callbacks;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Request awaitRequest(Predicate<Request> match, Duration timeout, String what) throws InterruptedException {
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

    /** The message as the fake stores it now (after edits), or null. */
    ObjectNode message(String id) {
        return messages.get(id);
    }

    String summary() {
        List<String> lines = new ArrayList<>();
        for (Request r : requests) lines.add(r.method() + " " + r.path());
        return lines.toString();
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
            if (!("Bot " + FakeDiscord.TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))
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
        if (r.is("GET", "/api/v10/users/@me")) return DiscordJson.user(FakeDiscord.BOT_ID, "opsbot", true);
        if ((m = COMMANDS.matcher(path)).matches() && r.method().equals("PUT")) {
            ArrayNode registered = JSON.createArrayNode();
            for (JsonNode command : r.json()) {
                ObjectNode c = ((ObjectNode) command.deepCopy()).put("id", snowflakes.get())
                        .put("application_id", FakeDiscord.APPLICATION_ID).put("version", snowflakes.get());
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
            return DiscordJson.directChannel(new FakeDiscord.Person(r.json().path("recipient_id").asText(), "someone", List.of()));
        }
        if ((m = ORIGINAL.matcher(path)).matches()) {
            String id = originals.computeIfAbsent(m.group(2), t -> snowflakes.get());
            return store(id, FakeDiscord.CHANNEL_ID, r.json(), r.files(), 64);
        }
        if (FOLLOWUP.matcher(path).matches() && r.method().equals("POST")) {
            int flags = r.json() != null && r.json().path("flags").asInt() == 64 ? 64 : 0;
            return store(snowflakes.get(), FakeDiscord.CHANNEL_ID, r.json(), r.files(), flags);
        }
        if ((m = THREAD_FROM_MESSAGE.matcher(path)).matches() && r.method().equals("POST")) {
            return DiscordJson.thread(m.group(2), m.group(1), r.json().path("name").asText());
        }
        if ((m = CHANNEL_MESSAGES.matcher(path)).matches() && r.method().equals("POST")) {
            return store(snowflakes.get(), m.group(1), r.json(), r.files(), 0);
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
        ObjectNode message = messages.computeIfAbsent(id, k -> DiscordJson.message(id, channelId, JSON.createObjectNode()));
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
                    attachments.addObject().put("id", snowflakes.get()).put("filename", file.fileName())
                            .put("size", file.data().length).put("url", url() + "/attachments/" + file.fileName())
                            .put("proxy_url", url() + "/attachments/" + file.fileName())
                            .put("content_type", "text/plain");
                }
            }
            return message.deepCopy();
        }
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
}
