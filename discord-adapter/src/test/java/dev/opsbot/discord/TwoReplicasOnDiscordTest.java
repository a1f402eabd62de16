package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two bots (replicas) connected to one Discord: every interaction reaches both gateway
 * connections, Discord takes one answer, and exactly one replica hands it to its core.
 */
@Timeout(60)
class TwoReplicasOnDiscordTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final CountingInbox a = new CountingInbox();
    private final CountingInbox b = new CountingInbox();
    private FakeDiscord discord;
    private DiscordAdapter first;
    private DiscordAdapter second;

    /** What one replica's core received, counted, and queued for the test to take. */
    static final class CountingInbox implements ChatInbox {
        final List<Object> received = new CopyOnWriteArrayList<>();
        final RecordingInbox events = new RecordingInbox();

        @Override
        public void onCommand(Origin origin, String text) {
            received.add(text);
            events.onCommand(origin, text);
        }

        @Override
        public void onPress(Origin origin, String token, MessageRef message) {
            received.add(token);
            events.onPress(origin, token, message);
        }

        @Override
        public void onModalSubmit(Origin origin, String token, Map<String, String> values) {
            received.add(values);
            events.onModalSubmit(origin, token, values);
        }
    }

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord().start();
        first = new DiscordAdapter(discord.settings(), BuiltinCommands.discover().menuWith(List.of()));
        first.start(a);
        second = new DiscordAdapter(discord.settings(), BuiltinCommands.discover().menuWith(List.of()));
        second.start(b);
    }

    @AfterEach
    void stop() throws Exception {
        if (first != null) first.close();
        if (second != null) second.close();
        if (discord != null) discord.close();
    }

    @Test
    void eachCommandAndPressReachesTheCoreOfExactlyOneReplica() throws Exception {
        FakeDiscord.Person dana = FakeDiscord.deployer();
        int sent = 12;
        for (int i = 0; i < sent; i++) {
            if (i % 2 == 0) {
                discord.slashCommand(dana, "ps", Map.of());
            } else {
                discord.pressButton(dana, "1200000000000000888", "token-" + i);
            }
        }
        awaitReceived(sent);
        Thread.sleep(1000);
        assertEquals(sent, a.received.size() + b.received.size(), "each once: a " + a.received + ", b " + b.received);
        assertEquals(2 * sent, discord.requests("POST", "/api/v10/interactions/\\d+/.*/callback").size(), "both replicas answered");
        assertEquals(sent, discord.requests("POST", "/api/v10/interactions/\\d+/.*/callback").stream()
                .filter(r -> r.response() == null).count(), "Discord took one answer of each, and refused the other");
    }

    @Test
    void aFormIsOpenedAndReceivedByTheReplicaThatMadeItOnly() throws Exception {
        FakeDiscord.Person dana = FakeDiscord.deployer();
        discord.slashCommand(dana, "run", Map.of("text", "rotate-secret OPENAI_API_KEY"));
        awaitReceived(1);
        boolean firstGotIt = !a.received.isEmpty();
        DiscordAdapter maker = firstGotIt ? first : second;
        CountingInbox makerInbox = firstGotIt ? a : b;
        CountingInbox other = firstGotIt ? b : a;
        Origin origin = makerInbox.events.next(RecordingInbox.Command.class).origin();
        maker.openModal(origin, new ModalPort.Modal("secret:run-9", "New value of OPENAI_API_KEY",
                List.of(new ModalPort.Input("value", "OPENAI_API_KEY", true))));
        FakeDiscord.Request prompt = discord.awaitRequest(r -> r.is("PATCH", "/api/v10/webhooks/.*/messages/@original")
                && r.json().path("components").size() > 0, WAIT, "the form prompt");
        String formId = prompt.json().path("components").get(0).path("components").get(0).path("custom_id").asText();

        String press = discord.pressButton(dana, "1200000000000000888", formId);
        FakeDiscord.Request modal = discord.awaitRequest("POST", "/api/v10/interactions/" + press + "/.*/callback", WAIT);
        assertEquals(9, modal.json().path("type").asInt(), "the first answer is the modal, not the other replica's 'expired'");
        discord.submitModal(dana, "1200000000000000888", formId, Map.of("value", "sk-test-456"));
        assertEquals(Map.of("value", "sk-test-456"), makerInbox.events.next(RecordingInbox.ModalSubmit.class).values());
        Thread.sleep(2000);
        assertTrue(other.received.isEmpty(), "the other replica handed nothing over: " + other.received);
        assertEquals(2, discord.requests("POST", "/api/v10/interactions/" + press + "/.*/callback").size(),
                "the other replica's late 'expired' was refused by Discord");
    }

    private void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (a.received.size() + b.received.size() < count) {
            if (System.nanoTime() > deadline) throw new AssertionError("received " + a.received + " and " + b.received);
            Thread.sleep(20);
        }
    }
}
