package dev.opsbot.slack;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A local Slack over real HTTP and a real websocket: the Web API methods the adapter calls
 * (recorded, answered as Slack answers), the file upload URL, response URLs, and Socket Mode
 * ({@link FakeSocketMode}: any number of connections, each envelope to one of them, retried on
 * another when not acknowledged). Several bot processes can share it, each through its own
 * {@link #apiUrl(String)}, so that every call says which process made it.
 */
public final class FakeSlack implements AutoCloseable {

    static final String BOT_USER_ID = "U0BOT";
    static final String TEAM_ID = "T0FAKE";
    /** An app token Slack refuses. */
    static final String REVOKED_APP_TOKEN = "xapp-revoked";
    /** Posting here gets Slack's channel_not_found. */
    static final String MISSING_CHANNEL = "C0GONE";
    /** Web API addresses of named replicas: {@code /r/<replica>/api/}. */
    private static final String REPLICA_PREFIX = "/r/";

    /**
     * One request the fake received. {@code method} is the Web API method, "upload" or
     * "response_url"; {@code replica} the name in the address the caller was given
     * ({@link #apiUrl(String)}), "" for the plain one and for response URLs.
     */
    public record Call(String method, int status, Map<String, String> params, String body, String authorization,
                String answer, long atNanos, String replica) {

        /** The ts the fake gave a posted message. */
        public String answerTs() {
            return JsonParser.parseString(answer).getAsJsonObject().get("ts").getAsString();
        }

        public String param(String name) {
            return params.get(name);
        }

        /** The Block Kit blocks sent, from a form parameter or a JSON body. */
        public JsonArray blocks() {
            if (params.containsKey("blocks")) return JsonParser.parseString(params.get("blocks")).getAsJsonArray();
            return json().getAsJsonArray("blocks");
        }

        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        /** Every text a person would read in the blocks, in order. */
        public String visibleText() {
            StringBuilder out = new StringBuilder();
            collectText(blocks(), out);
            return out.toString();
        }

        private static void collectText(com.google.gson.JsonElement e, StringBuilder out) {
            if (e.isJsonArray()) {
                e.getAsJsonArray().forEach(x -> collectText(x, out));
            } else if (e.isJsonObject()) {
                JsonObject o = e.getAsJsonObject();
                if (o.has("text") && o.get("text").isJsonPrimitive()) out.append(o.get("text").getAsString()).append('\n');
                o.entrySet().forEach(x -> {
                    if (!x.getKey().equals("text") || !x.getValue().isJsonPrimitive()) collectText(x.getValue(), out);
                });
            }
        }
    }

    private final Gson gson = new Gson();
    private final HttpServer http;
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4);
    private final FakeSocketMode socketMode;
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger updatesToRateLimit = new AtomicInteger();
    private final AtomicInteger callsToFail = new AtomicInteger();
    private final AtomicInteger callsToRateLimit = new AtomicInteger();
    private final AtomicInteger tsCounter = new AtomicInteger();
    private final AtomicInteger fileCounter = new AtomicInteger();
    private final Set<String> refusedResponseUrls = ConcurrentHashMap.newKeySet();

    private final Map<String, List<String>> userGroups = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean userGroupsWithoutList;

    public FakeSlack() throws Exception {
        this(new Random());
    }

    /** @param random chooses the connection each envelope goes to */
    public FakeSlack(Random random) throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/api/", ex -> api(ex, ""));
        http.createContext("/upload/", this::upload);
        http.createContext("/response/", this::responseUrl);
        http.createContext(REPLICA_PREFIX, this::replicaApi);
        http.setExecutor(httpThreads);
        http.start();
        socketMode = new FakeSocketMode(random);
    }

    // ------------------------------------------------------------ addresses

    /** The Web API base URL, as SLACK_API_URL. */
    /** Slack user groups and their members, as usergroups.list answers them. */
    public void userGroup(String groupId, String... members) {
        userGroups.put(groupId, List.of(members));
    }

    /** usergroups.list answers "ok" without a list, as proxies and some workspace plans do. */
    public void answerUserGroupsWithoutList() {
        userGroupsWithoutList = true;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/api/";
    }

    /**
     * The Web API base URL for one bot process of several: the same Slack, but every call made
     * through it, and every Socket Mode connection opened through it, is marked with {@code replica}.
     */
    public String apiUrl(String replica) {
        if (!replica.matches("[a-z0-9-]+")) throw new IllegalArgumentException("replica names are lower-case letters, digits, dashes");
        return "http://127.0.0.1:" + http.getAddress().getPort() + REPLICA_PREFIX + replica + "/api/";
    }

    public String responseUrl(String id) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/response/" + id;
    }

    // ------------------------------------------------------------ behaviour

    /** The next {@code n} chat.update calls get HTTP 429 with Retry-After: 1. */
    void rateLimitNextUpdates(int n) {
        updatesToRateLimit.set(n);
    }

    /**
     * Slack has a bad spell: the next {@code serverErrors} Web API calls and uploads, whatever
     * their method, get HTTP 500 without being acted on, and the {@code rateLimited} after those
     * get HTTP 429 with Retry-After: 1.
     */
    void failNextCalls(int serverErrors, int rateLimited) {
        callsToRateLimit.set(rateLimited);
        callsToFail.set(serverErrors);
    }

    /** Whether this call falls in a bad spell: its status (500, 429), or 200. */
    private int spell(HttpExchange ex) {
        if (callsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return 500;
        if (callsToRateLimit.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ex.getResponseHeaders().add("Retry-After", "1");
            return 429;
        }
        return 200;
    }

    /** Posts to this response URL get 404, as Slack answers an expired or used-up one. */
    void refuseResponseUrl(String id) {
        refusedResponseUrls.add(id);
    }

    // ------------------------------------------------------------ what was received

    public List<Call> calls(String method) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.method().equals(method)).toList();
        }
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Waits for the {@code index}-th (0-based) call of {@code method} that matches. */
    public Call awaitCall(String method, int index, Duration timeout) throws InterruptedException {
        return awaitCall(c -> c.method().equals(method), index, timeout, method);
    }

    public Call awaitCall(String method, Duration timeout) throws InterruptedException {
        return awaitCall(method, 0, timeout);
    }

    public Call awaitCall(Predicate<Call> which, int index, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (calls) {
            while (true) {
                List<Call> matching = calls.stream().filter(which).toList();
                if (matching.size() > index) return matching.get(index);
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no " + what + " call #" + index + " within " + timeout
                        + "; received: " + received());
                TimeUnit.NANOSECONDS.timedWait(calls, left);
            }
        }
    }

    /** The calls received so far by method, with how many of each, in the order first seen. */
    private String received() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        calls.forEach(c -> counts.merge(c.method(), 1, Integer::sum));
        return counts.toString();
    }

    // ------------------------------------------------------------ Socket Mode

    /** Socket Mode: its connections, and envelopes spread over them as Slack spreads them. */
    public FakeSocketMode socketMode() {
        return socketMode;
    }

    /** Socket Mode goes away: the open websockets are closed and apps.connections.open fails until {@link #restoreSocketMode()}. */
    public void dropSocketMode() {
        socketMode.drop();
    }

    public void restoreSocketMode() {
        socketMode.restore();
    }

    /** Sends an envelope ("slash_commands", "interactive") to one connected client; returns its id. */
    public String sendEnvelope(String type, JsonObject payload) throws InterruptedException {
        return socketMode.send(type, payload);
    }

    /** Waits for the acknowledgement of an envelope. */
    public JsonObject awaitAck(String envelopeId, Duration timeout) throws InterruptedException {
        return socketMode.awaitAck(envelopeId, timeout).body();
    }

    @Override
    public void close() throws Exception {
        http.stop(0);
        httpThreads.shutdownNow();
        socketMode.close();
    }

    // ------------------------------------------------------------ HTTP handlers

    /** {@code /r/<replica>/api/<method>}: the Web API as one replica calls it. */
    private void replicaApi(HttpExchange ex) throws IOException {
        String rest = ex.getRequestURI().getPath().substring(REPLICA_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0 || !rest.startsWith("/api/", slash)) {
            respond(ex, 404, "text/plain", "not found");
            return;
        }
        api(ex, rest.substring(0, slash), rest.substring(slash + "/api/".length()));
    }

    private void api(HttpExchange ex, String replica) throws IOException {
        api(ex, replica, ex.getRequestURI().getPath().substring("/api/".length()));
    }

    private void api(HttpExchange ex, String replica, String method) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = form(body);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        JsonObject answer = new JsonObject();
        answer.addProperty("ok", true);
        int status = spell(ex);
        if (status != 200) {
            answer.addProperty("ok", false);
            answer.addProperty("error", status == 500 ? "internal_error" : "ratelimited");
            String answerJson = gson.toJson(answer);
            record(new Call(method, status, params, body, auth, answerJson, System.nanoTime(), replica));
            respond(ex, status, "application/json", answerJson);
            return;
        }
        switch (method) {
            case "auth.test" -> {
                answer.addProperty("url", "https://fake.slack.test/");
                answer.addProperty("team", "Fake");
                answer.addProperty("user", "opsbot");
                answer.addProperty("team_id", TEAM_ID);
                answer.addProperty("user_id", BOT_USER_ID);
                answer.addProperty("bot_id", "B0BOT");
            }
            case "usergroups.list" -> {
                if (userGroupsWithoutList) break;
                JsonArray groups = new JsonArray();
                userGroups.forEach((group, members) -> {
                    JsonObject g = new JsonObject();
                    g.addProperty("id", group);
                    JsonArray users = new JsonArray();
                    members.forEach(users::add);
                    g.add("users", users);
                    groups.add(g);
                });
                answer.add("usergroups", groups);
            }
            case "apps.connections.open" -> {
                if (socketMode.isDown()) {
                    answer.addProperty("ok", false);
                    answer.addProperty("error", "service_unavailable");
                } else if (("Bearer " + REVOKED_APP_TOKEN).equals(auth)) {
                    answer.addProperty("ok", false);
                    answer.addProperty("error", "invalid_auth");
                } else {
                    answer.addProperty("url", socketMode.newUrl(replica));
                }
            }
            case "chat.postMessage" -> {
                if (MISSING_CHANNEL.equals(params.get("channel"))) {
                    answer.addProperty("ok", false);
                    answer.addProperty("error", "channel_not_found");
                    break;
                }
                String ts = nextTs();
                answer.addProperty("channel", params.get("channel"));
                answer.addProperty("ts", ts);
                JsonObject message = new JsonObject();
                message.addProperty("ts", ts);
                message.addProperty("text", params.get("text"));
                answer.add("message", message);
            }
            case "chat.update" -> {
                if (updatesToRateLimit.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    status = 429;
                    answer.addProperty("ok", false);
                    answer.addProperty("error", "ratelimited");
                    ex.getResponseHeaders().add("Retry-After", "1");
                } else {
                    answer.addProperty("channel", params.get("channel"));
                    answer.addProperty("ts", params.get("ts"));
                }
            }
            case "chat.postEphemeral" -> answer.addProperty("message_ts", nextTs());
            case "views.open" -> {
                JsonObject view = JsonParser.parseString(params.get("view")).getAsJsonObject();
                view.addProperty("id", "V" + fileCounter.incrementAndGet());
                answer.add("view", view);
            }
            case "files.getUploadURLExternal" -> {
                String fileId = "F" + fileCounter.incrementAndGet();
                answer.addProperty("file_id", fileId);
                answer.addProperty("upload_url", "http://127.0.0.1:" + http.getAddress().getPort() + "/upload/" + fileId);
            }
            case "files.completeUploadExternal" -> {
                JsonArray files = JsonParser.parseString(params.get("files")).getAsJsonArray();
                answer.add("files", files);
            }
            default -> {
                answer.addProperty("ok", false);
                answer.addProperty("error", "unknown_method");
            }
        }
        String answerJson = gson.toJson(answer);
        record(new Call(method, status, params, body, auth, answerJson, System.nanoTime(), replica));
        respond(ex, status, "application/json", answerJson);
    }

    private void upload(HttpExchange ex) throws IOException {
        String fileId = ex.getRequestURI().getPath().substring("/upload/".length());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status = spell(ex);
        record(new Call("upload", status, Map.of("file_id", fileId), body, null, "", System.nanoTime(), ""));
        respond(ex, status, "text/plain", status == 200 ? "OK - " + body.length() : "failed");
    }

    private void responseUrl(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().substring("/response/".length());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int status = refusedResponseUrls.contains(id) ? 404 : 200;
        record(new Call("response_url", status, Map.of("id", id), body, null, "", System.nanoTime(), ""));
        respond(ex, status, "text/plain", status == 200 ? "ok" : "expired_url");
    }

    private void record(Call call) {
        synchronized (calls) {
            calls.add(call);
            calls.notifyAll();
        }
    }

    private String nextTs() {
        return "1700000000." + String.format("%06d", tsCounter.incrementAndGet());
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body.isEmpty() || body.startsWith("{")) return params;
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }
}
