package dev.opsbot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two adapters (two replicas of the bot) on one Slack app in Socket Mode, as Slack treats them:
 * each envelope reaches one of them, and one not acknowledged in time reaches the other.
 */
@Timeout(60)
class SocketModeReplicasTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    FakeSlack slack;
    SlackAdapter a;
    SlackAdapter b;
    RecordingInbox inboxA = new RecordingInbox();
    RecordingInbox inboxB = new RecordingInbox();

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack(new Random(15));
        slack.socketMode().retryAfter(Duration.ofMillis(500));
        a = adapter("a");
        b = adapter("b");
        a.start(inboxA);
        b.start(inboxB);
        slack.socketMode().awaitConnections("a", 1, WAIT);
        slack.socketMode().awaitConnections("b", 1, WAIT);
    }

    private SlackAdapter adapter(String replica) {
        return new SlackAdapter(SlackSettings.fromEnvironment(Map.of(
                "SLACK_BOT_TOKEN", "xoxb-test", "SLACK_APP_TOKEN", "xapp-test", "SLACK_API_URL", slack.apiUrl(replica))));
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        slack.close();
    }

    @Test
    void eachEnvelopeReachesOneReplicaAndBothGetSome() throws Exception {
        int sent = 30;
        for (int i = 0; i < sent; i++) {
            String id = slack.sendEnvelope("slash_commands", command("history " + i));
            slack.socketMode().awaitAck(id, WAIT);
        }

        List<String> acknowledgedBy = slack.socketMode().deliveries().stream()
                .map(d -> slack.socketMode().ack(d.envelopeId()).replica()).toList();
        long byA = acknowledgedBy.stream().filter("a"::equals).count();
        assertEquals(sent, acknowledgedBy.size(), "one delivery per envelope: nothing was retried");
        assertTrue(byA > 0 && byA < sent, "both replicas received envelopes: a got " + byA + " of " + sent);
        assertEquals(sent, drain(inboxA) + drain(inboxB), "each command reached one inbox once");
        assertEquals(List.of("a", "b"), slack.calls("apps.connections.open").stream().map(FakeSlack.Call::replica)
                .distinct().sorted().toList(), "each replica opened its connection through its own address");
    }

    @Test
    void anEnvelopeNotAcknowledgedInTimeIsSentAgainToAnotherConnection() throws Exception {
        b.close();
        try (Silent stuck = new Silent(slack.socketMode().newUrl("stuck"))) {
            slack.socketMode().awaitConnections("stuck", 1, WAIT);

            String id = slack.socketMode().sendTo("stuck", "slash_commands", command("history"));

            FakeSocketMode.Ack ack = slack.socketMode().awaitAck(id, WAIT);
            assertEquals("a", ack.replica());
            List<FakeSocketMode.Delivery> deliveries = slack.socketMode().deliveries(id);
            assertEquals(List.of("stuck", "a"), deliveries.stream().map(FakeSocketMode.Delivery::replica).toList());
            assertEquals(1, deliveries.get(1).attempt());
            assertEquals("history", inboxA.next(RecordingInbox.Command.class, WAIT).text());
            assertTrue(stuck.received.await(1, TimeUnit.SECONDS), "the silent connection got the first delivery");
        }
    }

    @Test
    void aReplicaThatWentAwayGetsNothingMore() throws Exception {
        b.close();
        slack.socketMode().awaitGone("b", WAIT);
        assertEquals(List.of("a"), slack.socketMode().openConnections());

        for (int i = 0; i < 10; i++) slack.socketMode().awaitAck(slack.sendEnvelope("slash_commands", command("ps")), WAIT);

        assertEquals(10, drain(inboxA));
        assertTrue(slack.socketMode().deliveries().stream().allMatch(d -> d.replica().equals("a")), "every envelope went to a");
    }

    private JsonObject command(String text) {
        return SlackPayloads.toJson(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", text,
                slack.responseUrl("r"), "trigger"));
    }

    private static int drain(RecordingInbox inbox) throws InterruptedException {
        int n = 0;
        try {
            while (true) {
                inbox.next(RecordingInbox.Command.class, Duration.ofMillis(300));
                n++;
            }
        } catch (AssertionError nothingMore) {
            return n;
        }
    }

    /** A Socket Mode client that receives envelopes and never acknowledges them, as a process that hangs. */
    private static final class Silent extends WebSocketClient implements AutoCloseable {
        final CountDownLatch received = new CountDownLatch(1);

        Silent(String url) throws InterruptedException {
            super(URI.create(url));
            if (!connectBlocking(5, TimeUnit.SECONDS)) throw new IllegalStateException("could not connect to " + url);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            if (message.contains("envelope_id")) received.countDown();
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
