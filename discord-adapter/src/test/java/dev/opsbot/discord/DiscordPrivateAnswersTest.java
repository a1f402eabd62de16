package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.runbook.RunbookLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Private answers, with the real JDA against {@link FakeDiscord}: whispers through the
 * interaction's token (the receipt replaced, then follow-ups) and forms opened from a private
 * button, as Discord receives them.
 */
@Timeout(60)
class DiscordPrivateAnswersTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ChannelRef CHANNEL = ChannelRef.of("discord", FakeDiscord.CHANNEL_ID);
    private static final String CHANNEL_MESSAGES = "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages";

    private final RecordingInbox inbox = new RecordingInbox();
    private FakeDiscord discord;
    private DiscordAdapter adapter;

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord().start();
        adapter = new DiscordAdapter(discord.settings(), BuiltinCommands.discover()
                .menuWith(List.of(new RunbookLoader().load(Path.of("src/test/resources/runbooks/deploy.yml")))));
        adapter.start(inbox);
    }

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) adapter.close();
        if (discord != null) discord.close();
    }

    @Test
    void whisperReplacesTheReceiptPrivatelyThenFollowsUp() throws Exception {
        String id = discord.slashCommand(FakeDiscord.deployer(), "deploy", Map.of("tag", "nonsense"));
        Origin origin = inbox.next(RecordingInbox.Command.class).origin();
        FakeDiscord.Request receipt = discord.awaitRequest("POST", "/api/v10/interactions/" + id + "/.*/callback", WAIT);
        assertEquals("Received: `/ops deploy nonsense`", receipt.json().path("data").path("content").asText());

        adapter.whisper(origin, Message.of(Tone.FAILURE, "Not a tag: nonsense", "Usage: /ops deploy <tag>"));
        adapter.whisper(origin, Message.of(Tone.INFO, "Tip", "Tags look like sha-abc1234."));

        List<FakeDiscord.Request> edits = discord.requests("PATCH",
                "/api/v10/webhooks/" + FakeDiscord.APPLICATION_ID + "/interaction-token-" + id + "/messages/@original");
        assertEquals(1, edits.size(), "the first whisper in the receipt's place");
        assertEquals("", edits.get(0).json().path("content").asText());
        assertEquals("Not a tag: nonsense", edits.get(0).json().path("embeds").get(0).path("title").asText());
        FakeDiscord.Request followUp = discord.awaitRequest("POST",
                "/api/v10/webhooks/" + FakeDiscord.APPLICATION_ID + "/interaction-token-" + id, WAIT);
        assertEquals(64, followUp.json().path("flags").asInt(), "ephemeral");
        assertEquals("Tip", followUp.json().path("embeds").get(0).path("title").asText());
        assertTrue(discord.requests("POST", CHANNEL_MESSAGES).isEmpty(), "nothing in the channel");
    }

    @Test
    void whisperAfterAPressIsAnEphemeralFollowUpThatLeavesThePressedMessageAlone() throws Exception {
        MessageRef posted = adapter.post(CHANNEL, confirmation());
        String id = discord.pressButton(FakeDiscord.bystander(), posted.id(), "approve:run-42");
        Origin origin = inbox.next(RecordingInbox.Press.class).origin();

        adapter.whisper(origin, Message.of(Tone.WARNING, "Not yours", "Only dana can approve run 42."));

        FakeDiscord.Request followUp = discord.awaitRequest("POST",
                "/api/v10/webhooks/" + FakeDiscord.APPLICATION_ID + "/interaction-token-" + id, WAIT);
        assertEquals(64, followUp.json().path("flags").asInt());
        assertEquals("Not yours", followUp.json().path("embeds").get(0).path("title").asText());
        assertTrue(discord.requests("PATCH", "/api/v10/webhooks/.*").isEmpty());
        assertTrue(discord.requests("PATCH", CHANNEL_MESSAGES + "/.*").isEmpty());
    }

    @Test
    void whisperWithoutALiveInteractionNamesThePersonInTheChannel() throws Exception {
        Origin origin = new Origin(CHANNEL, UserRef.of("discord", "1200000000000000777"), "1200000000000000999");
        adapter.whisper(origin, Message.of(Tone.INFO, "Approval expired", "Run 42 was not approved in time."));

        FakeDiscord.Request post = discord.awaitRequest("POST", CHANNEL_MESSAGES, WAIT);
        assertEquals("<@1200000000000000777>", post.json().path("content").asText());
        assertEquals("Approval expired", post.json().path("embeds").get(0).path("title").asText());
    }

    @Test
    void modalOpensFromAPrivateButtonAndItsValuesReachTheInbox() throws Exception {
        FakeDiscord.Person dana = FakeDiscord.deployer();
        String formId = formOffered(dana, new ModalPort.Modal("secret:run-7", "New value of OPENAI_API_KEY",
                List.of(new ModalPort.Input("value", "OPENAI_API_KEY", true))));
        assertTrue(formId.startsWith(Interactions.FORM_PREFIX), formId);

        String press = discord.pressButton(dana, "1200000000000000888", formId);
        FakeDiscord.Request modal = discord.awaitRequest("POST", "/api/v10/interactions/" + press + "/.*/callback", WAIT);
        assertEquals(9, modal.json().path("type").asInt(), "answered with a modal");
        assertEquals("New value of OPENAI_API_KEY", modal.json().path("data").path("title").asText());
        JsonNode label = modal.json().path("data").path("components").get(0);
        assertEquals("OPENAI_API_KEY", label.path("label").asText());
        assertEquals("value", label.path("component").path("custom_id").asText());
        inbox.assertQuietFor(Duration.ofMillis(300));

        String submit = discord.submitModal(dana, "1200000000000000888", formId, Map.of("value", "sk-test-123"));
        RecordingInbox.ModalSubmit submitted = inbox.next(RecordingInbox.ModalSubmit.class);
        assertEquals("secret:run-7", submitted.token());
        assertEquals(Map.of("value", "sk-test-123"), submitted.values());
        assertEquals(dana.id(), submitted.origin().user().id());
        FakeDiscord.Request ack = discord.awaitRequest("POST", "/api/v10/interactions/" + submit + "/.*/callback", WAIT);
        assertEquals(7, ack.json().path("type").asInt(), "the prompt is edited");
        assertEquals(0, ack.json().path("data").path("components").size(), "and loses its button");
        for (FakeDiscord.Request r : discord.requests()) {
            if (r.path().startsWith("/api/v10/channels/")) {
                assertFalse(String.valueOf(r.json()).contains("sk-test-123"), "the value never reaches a channel");
            }
        }
    }

    @Test
    void aFormUsedOnceCannotBeSubmittedAgain() throws Exception {
        FakeDiscord.Person dana = FakeDiscord.deployer();
        String formId = formOffered(dana, new ModalPort.Modal("secret:run-8", "New value",
                List.of(new ModalPort.Input("value", "Value", true))));

        discord.submitModal(dana, "1200000000000000888", formId, Map.of("value", "one"));
        inbox.next(RecordingInbox.ModalSubmit.class);
        String again = discord.submitModal(dana, "1200000000000000888", formId, Map.of("value", "two"));

        FakeDiscord.Request refusal = discord.awaitRequest("POST", "/api/v10/interactions/" + again + "/.*/callback", WAIT);
        assertEquals(4, refusal.json().path("type").asInt());
        assertEquals(64, refusal.json().path("data").path("flags").asInt());
        inbox.assertQuietFor(Duration.ofMillis(300));
    }

    /** {@code who} types a command whose answer is {@code form}: the custom id of the private "Open form" button offered. */
    private String formOffered(FakeDiscord.Person who, ModalPort.Modal form) throws Exception {
        discord.slashCommand(who, "run", Map.of("text", "set-secret OPENAI_API_KEY"));
        Origin origin = inbox.next(RecordingInbox.Command.class).origin();
        adapter.openModal(origin, form);
        FakeDiscord.Request prompt = discord.awaitRequest(r -> r.is("PATCH", "/api/v10/webhooks/.*/messages/@original")
                && r.json().path("components").size() > 0, WAIT, "the form prompt");
        return prompt.json().path("components").get(0).path("components").get(0).path("custom_id").asText();
    }

    private static Message confirmation() {
        return Message.builder(Tone.WARNING, "Deploy sha-abc1234?")
                .button(new Button("Approve", "approve:run-42", Button.Style.PRIMARY))
                .build();
    }
}
