package dev.opsbot.slack;

import com.google.gson.JsonObject;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.UserRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Socket Mode over a real websocket: envelopes reach the inbox and each one is acknowledged. */
@Timeout(60)
class SocketModeTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    FakeSlack slack;
    SlackAdapter adapter;
    RecordingInbox inbox;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        adapter = new SlackAdapter(SlackSettings.fromEnvironment(Map.of(
                "SLACK_BOT_TOKEN", "xoxb-test",
                "SLACK_APP_TOKEN", "xapp-test",
                "SLACK_API_URL", slack.apiUrl())));
        inbox = new RecordingInbox();
        adapter.start(inbox);
    }

    @AfterEach
    void stop() throws Exception {
        adapter.close();
        slack.close();
    }

    @Test
    void connectsThroughTheConfiguredApiUrlWithTheAppToken() throws Exception {
        FakeSlack.Call open = slack.awaitCall("apps.connections.open", WAIT);
        assertEquals("Bearer xapp-test", open.authorization());
        assertEquals(-1, adapter.localPort(), "no HTTP endpoint in Socket Mode");
    }

    @Test
    void slashCommandIsAcknowledgedAndReachesTheInbox() throws Exception {
        JsonObject payload = SlackPayloads.toJson(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice",
                "deploy sha-abc1234", slack.responseUrl("s1"), "trigger-s1"));

        String envelopeId = slack.sendEnvelope("slash_commands", payload);

        assertEquals(envelopeId, slack.awaitAck(envelopeId, WAIT).get("envelope_id").getAsString());
        RecordingInbox.Command command = inbox.next(RecordingInbox.Command.class, WAIT);
        assertEquals("deploy sha-abc1234", command.text());
        assertEquals(new ChannelRef("slack", "C0OPS", false), command.origin().channel());
        assertEquals(new UserRef("slack", "U0ALICE", "alice", Set.of()), command.origin().user());
        assertNotNull(command.origin().interactionId());
    }

    @Test
    void buttonPressIsAcknowledgedAndReachesTheInbox() throws Exception {
        JsonObject payload = SlackPayloads.buttonPress("C0OPS", "1700000000.000007", "U0BOB", "bob",
                "ops_btn_1", "cancel:run-9", slack.responseUrl("s2"), "trigger-s2");

        String envelopeId = slack.sendEnvelope("interactive", payload);

        slack.awaitAck(envelopeId, WAIT);
        RecordingInbox.Press press = inbox.next(RecordingInbox.Press.class, WAIT);
        assertEquals("cancel:run-9", press.token());
        assertEquals(new MessageRef(new ChannelRef("slack", "C0OPS", false), "1700000000.000007"), press.message());
        assertEquals("U0BOB", press.origin().user().id());
    }

    @Test
    void modalSubmissionIsAcknowledgedAndReachesTheInbox() throws Exception {
        JsonObject payload = SlackPayloads.modalSubmit(BlockKitRenderer.MODAL_CALLBACK_PREFIX + "D0DIRECT",
                "secret:3", "U0ALICE", "alice", Map.of("value", "hunter2"));

        String envelopeId = slack.sendEnvelope("interactive", payload);

        slack.awaitAck(envelopeId, WAIT);
        RecordingInbox.ModalSubmit submit = inbox.next(RecordingInbox.ModalSubmit.class, WAIT);
        assertEquals("secret:3", submit.token());
        assertEquals(Map.of("value", "hunter2"), submit.values());
        assertEquals(new ChannelRef("slack", "D0DIRECT", true), submit.origin().channel());
    }

    @Test
    void closingStopsEverySocketModeThread() throws Exception {
        adapter.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(n -> n.contains("socket-mode") || n.startsWith("WebSocketConnectReadThread")
                            || n.equals("slack-inbox"))
                    .toList();
            if (left.isEmpty()) return;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("threads still running after close: " + left);
    }

    @Test
    void aRefusedAppTokenFailsStartWithSlacksError() {
        SlackAdapter refused = new SlackAdapter(SlackSettings.fromEnvironment(Map.of(
                "SLACK_BOT_TOKEN", "xoxb-test",
                "SLACK_APP_TOKEN", FakeSlack.REVOKED_APP_TOKEN,
                "SLACK_API_URL", slack.apiUrl())));
        try {
            var e = assertThrows(IllegalStateException.class, () -> refused.start(new RecordingInbox()));
            assertTrue(e.getMessage().contains("invalid_auth"), e.getMessage());
        } finally {
            refused.close();
        }
    }

    @Test
    void anUnreachableSlackFailsStartClearly() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SlackAdapter unreachable = new SlackAdapter(SlackSettings.fromEnvironment(Map.of(
                "SLACK_BOT_TOKEN", "xoxb-test",
                "SLACK_APP_TOKEN", "xapp-test",
                "SLACK_API_URL", "http://127.0.0.1:" + closedPort + "/api/")));
        try {
            var e = assertThrows(SlackCallException.class, () -> unreachable.start(new RecordingInbox()));
            assertEquals("auth.test", e.method());
            assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
        } finally {
            unreachable.close();
        }
    }
}
