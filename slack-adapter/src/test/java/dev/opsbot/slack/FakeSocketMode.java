package dev.opsbot.slack;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Slack's Socket Mode as an app with several connections sees it: {@code apps.connections.open}
 * hands out a URL per call, any number of clients connect, each envelope goes to ONE open
 * connection chosen at random, and an envelope nobody acknowledged within {@link #retryAfter()}
 * goes again (same envelope id, {@code retry_attempt} counted up) to another open connection,
 * at most {@link #MAX_RETRIES} times, as Slack does.
 *
 * <p>Each connection belongs to the replica that asked for its URL (the name in the Web API
 * address it called, {@code ""} for the plain address), so a test can tell which bot process
 * received and acknowledged what.
 */
public final class FakeSocketMode implements AutoCloseable {
    public static final int MAX_RETRIES = 3;

    /** An envelope sent down one connection; {@code attempt} 0 is the first delivery. */
    public record Delivery(String envelopeId, String type, String replica, int connection, int attempt, long atNanos) { }

    /** An acknowledgement: the connection it came back on, and what it said. */
    public record Ack(String envelopeId, String replica, int connection, JsonObject body, long atNanos) { }

    /** One open websocket: the ticket number of its URL and the replica that asked for it. */
    private record Link(int number, String replica, WebSocket socket) { }

    private final Gson gson = new Gson();
    private final Server server = new Server();
    private final Random random;
    private final AtomicInteger tickets = new AtomicInteger();
    private final Map<Integer, String> replicaOfTicket = new ConcurrentHashMap<>();
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-socket-mode-retries");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration retryAfter = Duration.ofSeconds(3);
    private volatile boolean down;

    FakeSocketMode(Random random) throws InterruptedException {
        this.random = random;
        server.start();
        if (!server.started.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("websocket server did not start");
    }

    /** A new connection URL for {@code replica}, as {@code apps.connections.open} answers it. */
    String newUrl(String replica) {
        int ticket = tickets.incrementAndGet();
        replicaOfTicket.put(ticket, replica);
        return "ws://127.0.0.1:" + server.getPort() + "/link/" + ticket;
    }

    /** How long an envelope may stay unacknowledged before it is sent again elsewhere (Slack: 3 s). */
    public Duration retryAfter() {
        return retryAfter;
    }

    public void retryAfter(Duration wait) {
        retryAfter = wait;
    }

    boolean isDown() {
        return down;
    }

    /** Socket Mode goes away: every open connection is closed and new ones are refused until {@link #restore()}. */
    void drop() {
        down = true;
        links.forEach(l -> l.socket().close(1001, "going away"));
    }

    void restore() {
        down = false;
    }

    // ------------------------------------------------------------ connections

    /** The replicas with an open connection now, one entry per connection. */
    public List<String> openConnections() {
        return links.stream().filter(l -> l.socket().isOpen()).map(Link::replica).toList();
    }

    /** Waits until {@code replica} (or, for null, anyone) has at least {@code count} open connections. */
    public void awaitConnections(String replica, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openConnections().stream().filter(r -> replica == null || r.equals(replica)).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + count + " Socket Mode connection(s) of " + (replica == null ? "any replica" : replica)
                        + " within " + timeout + "; open: " + openConnections());
            }
            Thread.sleep(20);
        }
    }

    /** Waits until {@code replica} has no open connection left (its side closed and the server saw it). */
    public void awaitGone(String replica, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openConnections().contains(replica)) {
            if (System.nanoTime() > deadline) throw new AssertionError(replica + " still connected after " + timeout + ": " + openConnections());
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------ envelopes

    /** Sends an envelope ("slash_commands", "interactive") to one open connection chosen at random; returns its id. */
    public String send(String type, JsonObject payload) throws InterruptedException {
        awaitConnections(null, 1, Duration.ofSeconds(10));
        String id = UUID.randomUUID().toString();
        deliver(id, type, payload, 0, Set.of());
        return id;
    }

    /** Sends an envelope to a connection of {@code replica} only; it is retried like any other. */
    public String sendTo(String replica, String type, JsonObject payload) throws InterruptedException {
        awaitConnections(replica, 1, Duration.ofSeconds(10));
        String id = UUID.randomUUID().toString();
        Link link = pick(l -> l.replica().equals(replica));
        send(link, id, type, payload, 0);
        scheduleRetry(id, type, payload, 0, Set.of(link.number()));
        return id;
    }

    /**
     * The same envelope down every open connection at the same instant, as when Slack's retry
     * crosses a late acknowledgement: each replica receives it once.
     */
    public String sendToEach(String type, JsonObject payload) throws InterruptedException {
        awaitConnections(null, 1, Duration.ofSeconds(10));
        String id = UUID.randomUUID().toString();
        List<Link> open = links.stream().filter(l -> l.socket().isOpen()).toList();
        open.forEach(l -> send(l, id, type, payload, 0));
        return id;
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    public List<Delivery> deliveries(String envelopeId) {
        return deliveries.stream().filter(d -> d.envelopeId().equals(envelopeId)).toList();
    }

    /** The acknowledgement of an envelope, if one came. */
    public Ack ack(String envelopeId) {
        return acks.get(envelopeId);
    }

    /** Waits for the acknowledgement of an envelope. */
    public Ack awaitAck(String envelopeId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!acks.containsKey(envelopeId)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("envelope " + envelopeId + " was not acknowledged within " + timeout
                        + "; delivered: " + deliveries(envelopeId));
            }
            Thread.sleep(10);
        }
        return acks.get(envelopeId);
    }

    private void deliver(String id, String type, JsonObject payload, int attempt, Set<Integer> tried) {
        if (acks.containsKey(id)) return;
        List<Link> open = links.stream().filter(l -> l.socket().isOpen()).toList();
        List<Link> untried = open.stream().filter(l -> !tried.contains(l.number())).toList();
        List<Link> choice = untried.isEmpty() ? open : untried;
        Set<Integer> nowTried = new HashSet<>(tried);
        if (!choice.isEmpty()) {
            Link link = choice.get(random.nextInt(choice.size()));
            send(link, id, type, payload, attempt);
            nowTried.add(link.number());
        }
        scheduleRetry(id, type, payload, attempt, nowTried);
    }

    private void scheduleRetry(String id, String type, JsonObject payload, int attempt, Set<Integer> tried) {
        if (attempt >= MAX_RETRIES) return;
        retries.schedule(() -> deliver(id, type, payload, attempt + 1, tried), retryAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Link pick(Predicate<Link> which) {
        List<Link> open = links.stream().filter(l -> l.socket().isOpen() && which.test(l)).toList();
        return open.get(random.nextInt(open.size()));
    }

    private void send(Link link, String id, String type, JsonObject payload, int attempt) {
        JsonObject envelope = new JsonObject();
        envelope.addProperty("envelope_id", id);
        envelope.addProperty("type", type);
        envelope.add("payload", payload);
        envelope.addProperty("accepts_response_payload", type.equals("slash_commands"));
        envelope.addProperty("retry_attempt", attempt);
        envelope.addProperty("retry_reason", attempt == 0 ? "" : "timeout");
        deliveries.add(new Delivery(id, type, link.replica(), link.number(), attempt, System.nanoTime()));
        try {
            link.socket().send(gson.toJson(envelope));
        } catch (RuntimeException e) {
            // closed between the choice and the send: the retry finds another connection
        }
    }

    @Override
    public void close() throws InterruptedException {
        retries.shutdownNow();
        server.stop(1000);
    }

    /** The websocket server: says hello on connect and records every acknowledgement with its connection. */
    private final class Server extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);

        Server() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
            setDaemon(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            if (down) {
                conn.close(1001, "going away");
                return;
            }
            String path = handshake.getResourceDescriptor();
            String digits = path.replaceAll("^/link/(\\d+).*$", "$1");
            int ticket = digits.matches("\\d+") ? Integer.parseInt(digits) : 0;
            links.add(new Link(ticket, replicaOfTicket.getOrDefault(ticket, ""), conn));
            conn.send("{\"type\":\"hello\",\"num_connections\":" + openConnections().size() + ","
                    + "\"debug_info\":{\"host\":\"fake\",\"approximate_connection_time\":18060},"
                    + "\"connection_info\":{\"app_id\":\"A0FAKE\"}}");
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            links.removeIf(l -> l.socket() == conn);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            JsonObject json = JsonParser.parseString(message).getAsJsonObject();
            if (!json.has("envelope_id")) return;
            Link link = links.stream().filter(l -> l.socket() == conn).findFirst().orElse(new Link(0, "?", conn));
            acks.putIfAbsent(json.get("envelope_id").getAsString(),
                    new Ack(json.get("envelope_id").getAsString(), link.replica(), link.number(), json, System.nanoTime()));
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
