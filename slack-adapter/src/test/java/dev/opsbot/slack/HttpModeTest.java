package dev.opsbot.slack;

import com.google.gson.JsonObject;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.UserRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP mode over real HTTP: Bolt in Jetty, signatures checked, events reaching the inbox. */
@Timeout(30)
class HttpModeTest {

    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final Duration WAIT = Duration.ofSeconds(5);

    FakeSlack slack;
    SlackAdapter adapter;
    RecordingInbox inbox;
    SlackEventsClient client;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        adapter = new SlackAdapter(new SlackSettings("xoxb-test", null, SECRET, slack.apiUrl(), 0,
                SlackSettings.DEFAULT_PATH, false));
        inbox = new RecordingInbox();
        adapter.start(inbox);
        client = new SlackEventsClient(adapter.localPort(), SlackSettings.DEFAULT_PATH, SECRET);
    }

    @AfterEach
    void stop() throws Exception {
        adapter.close();
        slack.close();
    }

    @Test
    void startingChecksTheBotTokenWithAuthTest() throws Exception {
        FakeSlack.Call authTest = slack.awaitCall("auth.test", WAIT);
        assertEquals("Bearer xoxb-test", authTest.authorization());
    }

    @Test
    void aPersonsSlackUserGroupsTravelWithTheirCommandSoGroupsCanHoldRoles() throws Exception {
        slack.userGroup("S0ONCALL", "U0ALICE", "U0BOB");
        slack.userGroup("S0OTHERS", "U0BOB");
        client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "ps", slack.responseUrl("r1"), "trigger-1"));
        var command = inbox.next(RecordingInbox.Command.class, WAIT);
        assertEquals(java.util.Set.of("S0ONCALL"), command.origin().user().groups());
    }

    @Test
    void whileTheCoreIsOverloadedACommandIsAnsweredBusyInTheAcknowledgementAndNotHandedOn() throws Exception {
        inbox.overloaded = true;
        var answer = client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "ps", slack.responseUrl("r1"), "trigger-1"));
        assertEquals(200, answer.status());
        assertTrue(answer.body().contains("opsbot is busy"), answer.body());
        inbox.assertNothingWithin(Duration.ofMillis(300));
        inbox.overloaded = false;
        client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "ps", slack.responseUrl("r2"), "trigger-2"));
        assertEquals("ps", inbox.next(RecordingInbox.Command.class, WAIT).text());
    }

    @Test
    void aCommandStillArrivesWhenUserGroupsCannotBeListed() throws Exception {
        slack.answerUserGroupsWithoutList();
        client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "ps", slack.responseUrl("r1"), "trigger-1"));
        var command = inbox.next(RecordingInbox.Command.class, WAIT);
        assertEquals("ps", command.text());
        assertEquals(java.util.Set.of(), command.origin().user().groups());
    }

    @Test
    void signedSlashCommandIsAcknowledgedFastAndReachesTheInbox() throws Exception {
        var answer = client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice",
                "deploy sha-abc1234", slack.responseUrl("r1"), "trigger-1"));

        assertEquals(200, answer.status());
        assertTrue(answer.took().compareTo(Duration.ofSeconds(2)) < 0, "acknowledged in " + answer.took());
        RecordingInbox.Command command = inbox.next(RecordingInbox.Command.class, WAIT);
        assertEquals("deploy sha-abc1234", command.text());
        assertEquals(new ChannelRef("slack", "C0OPS", false), command.origin().channel());
        assertEquals(new UserRef("slack", "U0ALICE", "alice", Set.of()), command.origin().user());
        assertNotNull(command.origin().interactionId());
        assertTrue(slack.calls().stream().noneMatch(c -> c.method().startsWith("chat.")),
                "no message was posted while acknowledging");
    }

    @ParameterizedTest(name = "{0} is direct: {1}")
    @CsvSource({
            "C0OPS,   false",   // a public channel
            "G0PRIV,  false",   // a private channel (older id form)
            "D0DIRECT, true",   // a direct conversation with the bot
    })
    void directConversationsAreMarkedDirect(String channelId, boolean direct) throws Exception {
        client.command(SlackPayloads.slashCommand(channelId, "U0ALICE", "alice", "ps",
                slack.responseUrl("r1"), "trigger-1"));

        assertEquals(direct, inbox.next(RecordingInbox.Command.class, WAIT).origin().channel().direct());
    }

    @Test
    void badSignatureGets401AndNothingReachesTheInbox() throws Exception {
        String body = SlackPayloads.formEncode(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice",
                "deploy sha-evil", slack.responseUrl("r1"), "trigger-1"));
        long now = Instant.now().getEpochSecond();

        var answer = client.send(body, now, SlackPayloads.sign("not-the-secret", now, body));

        assertEquals(401, answer.status());
        inbox.assertNothingWithin(Duration.ofMillis(500));
    }

    @Test
    void staleTimestampGets401EvenWhenCorrectlySigned() throws Exception {
        String body = SlackPayloads.formEncode(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice",
                "deploy sha-replayed", slack.responseUrl("r1"), "trigger-1"));
        long sixMinutesAgo = Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond();

        var answer = client.send(body, sixMinutesAgo, SlackPayloads.sign(SECRET, sixMinutesAgo, body));

        assertEquals(401, answer.status());
        inbox.assertNothingWithin(Duration.ofMillis(500));
    }

    @Test
    void unsignedRequestGets401() throws Exception {
        String body = SlackPayloads.formEncode(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice",
                "ps", slack.responseUrl("r1"), "trigger-1"));

        assertEquals(401, client.send(body, 0, null).status());
        inbox.assertNothingWithin(Duration.ofMillis(300));
    }

    @Test
    void tamperedBodyGets401() throws Exception {
        String body = SlackPayloads.formEncode(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice",
                "ps", slack.responseUrl("r1"), "trigger-1"));
        long now = Instant.now().getEpochSecond();
        String signature = SlackPayloads.sign(SECRET, now, body);

        assertEquals(401, client.send(body.replace("text=ps", "text=deploy"), now, signature).status());
        inbox.assertNothingWithin(Duration.ofMillis(300));
    }

    @Test
    void buttonPressReachesTheInboxWithItsTokenAndMessage() throws Exception {
        var answer = client.interaction(SlackPayloads.buttonPress("C0OPS", "1700000000.000001", "U0BOB", "bob",
                "ops_btn_0", "confirm:run-42", slack.responseUrl("r2"), "trigger-2"));

        assertEquals(200, answer.status());
        RecordingInbox.Press press = inbox.next(RecordingInbox.Press.class, WAIT);
        assertEquals("confirm:run-42", press.token());
        assertEquals(new MessageRef(new ChannelRef("slack", "C0OPS", false), "1700000000.000001"), press.message());
        assertEquals("U0BOB", press.origin().user().id());
        assertEquals("bob", press.origin().user().name());
    }

    @Test
    void buttonPressWithBadSignatureIsRefused() throws Exception {
        JsonObject payload = SlackPayloads.buttonPress("C0OPS", "1700000000.000001", "U0BOB", "bob",
                "ops_btn_0", "confirm:run-42", slack.responseUrl("r2"), "trigger-2");
        String body = "payload=" + java.net.URLEncoder.encode(payload.toString(), java.nio.charset.StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();

        assertEquals(401, client.send(body, now, SlackPayloads.sign("wrong", now, body)).status());
        inbox.assertNothingWithin(Duration.ofMillis(300));
    }

    @Test
    void modalOpensWithTheCommandsTriggerAndItsSubmissionReachesTheInbox() throws Exception {
        client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "rotate-secret SECRET_KEY",
                slack.responseUrl("r3"), "trigger-modal-1"));
        RecordingInbox.Command command = inbox.next(RecordingInbox.Command.class, WAIT);

        adapter.openModal(command.origin(), new ModalPort.Modal("secret:7", "New SECRET_KEY",
                List.of(new ModalPort.Input("value", "New value", true))));

        FakeSlack.Call open = slack.awaitCall("views.open", WAIT);
        assertEquals("trigger-modal-1", open.param("trigger_id"));
        JsonObject view = com.google.gson.JsonParser.parseString(open.param("view")).getAsJsonObject();
        assertEquals("modal", view.get("type").getAsString());
        assertEquals("secret:7", view.get("private_metadata").getAsString());
        JsonObject input = view.getAsJsonArray("blocks").get(0).getAsJsonObject();
        assertEquals("value", input.get("block_id").getAsString());
        assertEquals("plain_text_input", input.getAsJsonObject("element").get("type").getAsString());

        var answer = client.interaction(SlackPayloads.modalSubmit(view.get("callback_id").getAsString(),
                "secret:7", "U0ALICE", "alice", Map.of("value", "s3cr3t-value")));

        assertEquals(200, answer.status());
        RecordingInbox.ModalSubmit submit = inbox.next(RecordingInbox.ModalSubmit.class, WAIT);
        assertEquals("secret:7", submit.token());
        assertEquals(Map.of("value", "s3cr3t-value"), submit.values());
        assertEquals(new ChannelRef("slack", "C0OPS", false), submit.origin().channel());
        assertEquals("U0ALICE", submit.origin().user().id());
    }

    @Test
    void otherPathsAreNotTheEndpoint() throws Exception {
        var other = new SlackEventsClient(adapter.localPort(), "/elsewhere", SECRET);
        int status = other.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "ps",
                slack.responseUrl("r1"), "trigger-1")).status();
        assertTrue(status == 404 || status == 405, "answered " + status);
        inbox.assertNothingWithin(Duration.ofMillis(300));
    }

    @Test
    void theEndpointAnswersOnlyPosts() throws Exception {
        HttpResponse<String> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adapter.localPort() + SlackSettings.DEFAULT_PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
        inbox.assertNothingWithin(Duration.ofMillis(300));
    }
}
