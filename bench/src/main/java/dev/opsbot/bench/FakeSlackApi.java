package dev.opsbot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Slack's Web API as the bot's Slack adapter calls it, on 127.0.0.1: auth.test, posting and
 * updating messages, ephemeral answers, response URLs and the three-step file upload (the bytes
 * are written to a file, not kept in memory). It answers at once and keeps what a benchmark
 * reads: which call came when, for which message.
 */
final class FakeSlackApi implements AutoCloseable {
    static final String BOT_TOKEN = "xoxb-bench-000000000000";

    /**
     * One call as the fake saw it: the method (or "response_url", "upload"), a few fields, when, and
     * the buttons of the message it posted or updated (label to value, the value being the bot's token).
     */
    record Call(String method, String channel, String ts, String key, String text, long atNanos, Map<String, String> buttons) {
        Call(String method, String channel, String ts, String key, String text, long atNanos) {
            this(method, channel, ts, key, text, atNanos, Map.of());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "fake-slack");
        t.setDaemon(true);
        return t;
    });
    private final Path uploads;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicLong ts = new AtomicLong();
    private final AtomicInteger files = new AtomicInteger();
    private volatile Consumer<Call> listener = c -> { };

    FakeSlackApi(Path uploads) throws IOException {
        this.uploads = Files.createDirectories(uploads);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        http.createContext("/api/", this::api);
        http.createContext("/response/", this::response);
        http.createContext("/upload/", this::upload);
        http.setExecutor(threads);
        http.start();
    }

    String apiUrl() {
        return base() + "/api/";
    }

    String responseUrl(String key) {
        return base() + "/response/" + key;
    }

    private String base() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Called for every call as it arrives (on the fake's threads). */
    void onCall(Consumer<Call> listener) {
        this.listener = listener;
    }

    int count(String method) {
        AtomicInteger n = counts.get(method);
        return n == null ? 0 : n.get();
    }

    synchronized List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    synchronized void forget() {
        calls.clear();
    }

    /** Where the bytes of an upload went. */
    Path uploaded(String fileId) {
        return uploads.resolve(fileId + ".bin");
    }

    private void api(HttpExchange ex) throws IOException {
        String method = ex.getRequestURI().getPath().substring("/api/".length());
        Map<String, String> p = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String answer;
        String channel = p.get("channel");
        String messageTs = null;
        switch (method) {
            case "auth.test" -> answer = "{\"ok\":true,\"url\":\"https://bench.slack.test/\",\"team\":\"Bench\",\"user\":\"opsbot\","
                    + "\"team_id\":\"T0BENCH\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\"}";
            case "chat.postMessage" -> {
                messageTs = nextTs();
                answer = "{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + messageTs + "\",\"message\":{\"ts\":\""
                        + messageTs + "\"}}";
            }
            case "chat.update" -> {
                messageTs = p.get("ts");
                answer = "{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + messageTs + "\"}";
            }
            case "chat.postEphemeral" -> answer = "{\"ok\":true,\"message_ts\":\"" + nextTs() + "\"}";
            case "files.getUploadURLExternal" -> {
                String id = "F" + files.incrementAndGet();
                messageTs = id;
                answer = "{\"ok\":true,\"file_id\":\"" + id + "\",\"upload_url\":\"" + base() + "/upload/" + id + "\"}";
            }
            case "files.completeUploadExternal" -> answer = "{\"ok\":true,\"files\":" + p.getOrDefault("files", "[]") + "}";
            default -> answer = "{\"ok\":true}";
        }
        record(new Call(method, channel, messageTs, null, cut(p.get("text")), System.nanoTime(), buttons(p.get("blocks"))));
        respond(ex, "application/json", answer);
    }

    private void response(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        String key = ex.getRequestURI().getPath().substring("/response/".length());
        record(new Call("response_url", null, null, key, null, System.nanoTime()));
        respond(ex, "text/plain", "ok");
    }

    private void upload(HttpExchange ex) throws IOException {
        String id = ex.getRequestURI().getPath().substring("/upload/".length());
        long size;
        try (InputStream in = ex.getRequestBody(); OutputStream out = Files.newOutputStream(uploaded(id))) {
            size = in.transferTo(out);
        }
        record(new Call("upload", null, id, id, Long.toString(size), System.nanoTime()));
        respond(ex, "text/plain", "OK - " + size);
    }

    private void record(Call call) {
        counts.computeIfAbsent(call.method(), k -> new AtomicInteger()).incrementAndGet();
        synchronized (this) {
            calls.add(call);
            notifyAll();
        }
        listener.accept(call);
    }

    /** Waits for the {@code index}-th call of a method (0-based). */
    synchronized Call await(String method, int index, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            List<Call> matching = calls(method);
            if (matching.size() > index) return matching.get(index);
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) throw new IllegalStateException("no " + method + " #" + index + " within " + timeoutMillis + " ms");
            wait(left);
        }
    }

    /**
     * The key of the command a call answers: the response URL it went to, or the channel it was
     * posted in (a benchmark's commands come from channels named {@code C<key>}); null for others.
     */
    static String commandKey(Call call) {
        return switch (call.method()) {
            case "response_url" -> call.key();
            case "chat.postMessage" -> call.channel() == null ? null : call.channel().substring(1);
            default -> null;
        };
    }

    /** The buttons of Block Kit blocks: each {@code button} element's text and value. */
    static Map<String, String> buttons(String blocks) {
        if (blocks == null || blocks.isEmpty()) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (JsonNode block : JSON.readTree(blocks)) {
                for (JsonNode element : block.path("elements")) {
                    if ("button".equals(element.path("type").asText())) {
                        out.put(element.path("text").path("text").asText(), element.path("value").asText());
                    }
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    private String nextTs() {
        return "1700000000." + String.format("%06d", ts.incrementAndGet());
    }

    private static String cut(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300);
    }

    private static void respond(HttpExchange ex, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
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

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
