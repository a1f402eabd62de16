package dev.opsbot.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * The fake Discord's gateway, a websocket server: HELLO, IDENTIFY, READY and GUILD_CREATE,
 * heartbeats, then dispatched events to every session; a resumed session gets what it missed.
 * The first path segment of a session's address names the replica it belongs to.
 */
final class FakeGateway extends WebSocketServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch identified = new CountDownLatch(1);
    volatile JsonNode identify;
    volatile Exception failure;
    final List<WebSocket> sessions = new CopyOnWriteArrayList<>();
    final AtomicInteger resumes = new AtomicInteger();
    final AtomicInteger identifies = new AtomicInteger();
    /** Every event dispatched, by replica, so that a resumed session gets what it missed. */
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private final AtomicLong sequence = new AtomicLong();

    private record Sent(String replica, long seq, JsonNode event) { }

    FakeGateway() {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
    }

    String url() {
        return "ws://127.0.0.1:" + getPort();
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
                        .put("resume_gateway_url", replica.isEmpty() ? url() : url() + "/" + replica);
                ready.set("user", DiscordJson.user(FakeDiscord.BOT_ID, "opsbot", true));
                ready.putArray("guilds").addObject().put("id", FakeDiscord.GUILD_ID).put("unavailable", true);
                ready.putObject("application").put("id", FakeDiscord.APPLICATION_ID).put("flags", 0);
                ready.putArray("private_channels");
                ready.putArray("shard").add(0).add(1);
                dispatch(socket, "READY", ready);
                dispatch(socket, "GUILD_CREATE", DiscordJson.guild());
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

    void send(WebSocket socket, JsonNode payload) {
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
