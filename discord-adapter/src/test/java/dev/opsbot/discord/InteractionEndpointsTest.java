package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter's own interaction calls against a local HTTP server that answers as scripted:
 * what is sent, which refusals are waited out and made again, and which are not.
 */
class InteractionEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "aW50ZXJhY3Rpb246c2VjcmV0LXRva2Vu";

    /** One scripted answer: a status, its headers' Retry-After (or null) and a body (or null). */
    private record Answer(int status, String retryAfter, String body) {
        static final Answer ACCEPTED = new Answer(204, null, null);
    }

    /** What the server received. */
    private record Received(String method, String path, JsonNode body, String userAgent) {
    }

    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private OkHttpClient http;
    private InteractionEndpoints endpoints;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
        http = new OkHttpClient();
        endpoints = new InteractionEndpoints(http, "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v10/",
                "DiscordBot (test, 1)");
    }

    @AfterEach
    void stop() {
        endpoints.close();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    body.length == 0 ? null : JSON.readTree(body), exchange.getRequestHeaders().getFirst("User-Agent")));
            Answer next = script.poll();
            if (next == null) next = Answer.ACCEPTED;
            if (next.retryAfter() != null) exchange.getResponseHeaders().set("Retry-After", next.retryAfter());
            if (next.body() == null) {
                exchange.sendResponseHeaders(next.status(), -1);
                return;
            }
            byte[] bytes = next.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(next.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static void await(CompletableFuture<?> future) throws Exception {
        future.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReceiptIsAPrivateMessageAsTheInitialResponse() throws Exception {
        await(endpoints.respond("1111", TOKEN, InteractionEndpoints.Kind.CHANNEL_MESSAGE,
                InteractionEndpoints.ephemeral(MessageCreateData.fromContent("Received: `/ops help`"))));

        Received callback = received.get(0);
        assertEquals("POST", callback.method());
        assertEquals("/api/v10/interactions/1111/" + TOKEN + "/callback", callback.path());
        assertEquals(4, callback.body().path("type").asInt());
        assertEquals("Received: `/ops help`", callback.body().path("data").path("content").asText());
        assertEquals(64, callback.body().path("data").path("flags").asInt(), "seen only by the sender");
        assertEquals("DiscordBot (test, 1)", callback.userAgent());
    }

    @Test
    void aDeferredUpdateSendsNoMessage() throws Exception {
        await(endpoints.respond("2222", TOKEN, InteractionEndpoints.Kind.DEFERRED_UPDATE_MESSAGE, null));

        assertEquals(6, received.get(0).body().path("type").asInt());
        assertFalse(received.get(0).body().has("data"));
    }

    @Test
    void anInitialResponseRefusedWith429IsSentAgainAfterTheWaitDiscordAsks() throws Exception {
        script.add(new Answer(429, "0.2", "{\"message\":\"You are being rate limited.\",\"retry_after\":0.2,\"global\":false}"));

        long started = System.nanoTime();
        await(endpoints.respond("3333", TOKEN, InteractionEndpoints.Kind.CHANNEL_MESSAGE,
                InteractionEndpoints.ephemeral(MessageCreateData.fromContent("Received"))));

        assertEquals(2, received.size(), "sent again once");
        assertEquals(received.get(0), received.get(1));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 200, "after the wait asked for");
    }

    @Test
    void anAnswerFromAnotherReplicaIsRefusedWithDiscordsCodeAndNotSentAgain() throws Exception {
        script.add(new Answer(400, null, "{\"message\":\"Interaction has already been acknowledged.\",\"code\":40060}"));

        CompletableFuture<Void> response = endpoints.respond("4444", TOKEN, InteractionEndpoints.Kind.CHANNEL_MESSAGE,
                InteractionEndpoints.ephemeral(MessageCreateData.fromContent("Received")));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> await(response));
        InteractionEndpoints.Refused refused = assertInstanceOf(InteractionEndpoints.Refused.class, failed.getCause());
        assertEquals(400, refused.status());
        assertEquals(InteractionEndpoints.ALREADY_ACKNOWLEDGED, refused.code());
        assertEquals(1, received.size());
        assertFalse(refused.getMessage().contains(TOKEN), "the token is a credential: " + refused.getMessage());
    }

    @Test
    void anInitialResponseThatCannotReachDiscordFailsWithTheError() throws Exception {
        server.stop(0);

        CompletableFuture<Void> response = endpoints.respond("5555", TOKEN, InteractionEndpoints.Kind.CHANNEL_MESSAGE,
                InteractionEndpoints.ephemeral(MessageCreateData.fromContent("Received")));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> await(response));
        assertInstanceOf(IOException.class, failed.getCause());
        assertTrue(received.isEmpty());
    }

    @Test
    void editingTheOriginalSendsTheEditAndWaitsOutA429() throws Exception {
        script.add(new Answer(429, "0.05", "{\"message\":\"You are being rate limited.\",\"retry_after\":0.05}"));
        script.add(new Answer(200, null, "{\"id\":\"9\"}"));

        endpoints.editOriginal("777", TOKEN, MessageEditData.fromEmbeds(new EmbedBuilder().setTitle("Commands").build()));

        assertEquals(2, received.size());
        Received edit = received.get(1);
        assertEquals("PATCH", edit.method());
        assertEquals("/api/v10/webhooks/777/" + TOKEN + "/messages/@original", edit.path());
        assertEquals("Commands", edit.body().path("embeds").get(0).path("title").asText());
    }

    @Test
    void aFollowUpIsPrivateAndARefusalSaysWhyWithoutTheToken() {
        script.add(new Answer(404, null, "{\"message\":\"Unknown Webhook\",\"code\":10015}"));

        InteractionEndpoints.Refused refused = assertThrows(InteractionEndpoints.Refused.class,
                () -> endpoints.followUp("777", TOKEN, MessageCreateData.fromContent("Tip")));

        assertEquals(10015, refused.code());
        assertTrue(refused.getMessage().contains("Unknown Webhook"), refused.getMessage());
        assertFalse(refused.getMessage().contains(TOKEN), refused.getMessage());
        Received followUp = received.get(0);
        assertEquals("POST", followUp.method());
        assertEquals("/api/v10/webhooks/777/" + TOKEN, followUp.path());
        assertEquals(64, followUp.body().path("flags").asInt());
        assertEquals(1, received.size(), "a refusal other than 429 is not made again");
    }

    @Test
    void aWaitLongerThanTheInteractionLastsIsNotWaitedOut() {
        script.add(new Answer(429, "60", "{\"message\":\"You are being rate limited.\",\"retry_after\":60}"));

        InteractionEndpoints.Refused refused = assertThrows(InteractionEndpoints.Refused.class,
                () -> endpoints.editOriginal("777", TOKEN, MessageEditData.fromContent("late")));

        assertEquals(429, refused.status());
        assertEquals(1, received.size());
    }
}
