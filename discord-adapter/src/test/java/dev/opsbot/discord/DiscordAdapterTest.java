package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookLoader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The adapter with the real JDA, against {@link FakeDiscord} over HTTP and a websocket. */
@Timeout(60)
class DiscordAdapterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ChannelRef CHANNEL = ChannelRef.of("discord", FakeDiscord.CHANNEL_ID);
    private static final String CHANNEL_MESSAGES = "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages";

    private final RecordingInbox inbox = new RecordingInbox();
    private FakeDiscord discord;
    private DiscordAdapter adapter;
    private Runbook deploy;

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord().start();
        deploy = new RunbookLoader().load(Path.of("src/test/resources/runbooks/deploy.yml"));
        adapter = new DiscordAdapter(discord.settings(), BuiltinCommands.discover().menuWith(List.of(deploy)));
        adapter.start(inbox);
    }

    @AfterEach
    void stop() throws Exception {
        if (adapter != null) adapter.close();
        if (discord != null) discord.close();
    }

    // ------------------------------------------------------------ connecting

    @Test
    void identifiesWithTheGuildsIntentOnlyAndUncompressed() throws Exception {
        JsonNode identify = discord.identify(WAIT);
        assertEquals(1, identify.path("intents").asInt(), "GUILDS only: no message content, no members");
        assertEquals(FakeDiscord.TOKEN, identify.path("token").asText());
        assertFalse(identify.path("compress").asBoolean());
    }

    @Test
    void registersOpsInTheServerWithOneSubcommandPerVerbAndTheRunbooksOptions() throws Exception {
        FakeDiscord.Request put = discord.awaitRequest("PUT",
                "/api/v10/applications/" + FakeDiscord.APPLICATION_ID + "/guilds/" + FakeDiscord.GUILD_ID + "/commands", WAIT);
        JsonNode ops = put.json().get(0);
        assertEquals("ops", ops.path("name").asText());
        Map<String, JsonNode> subcommands = new LinkedHashMap<>();
        ops.path("options").forEach(s -> subcommands.put(s.path("name").asText(), s));
        assertEquals(List.of("help", "ps", "logs", "history", "cancel", "audit", "alerts", "mute", "envs", "deploy", "run"), List.copyOf(subcommands.keySet()));

        // Discord lists required options first: tag, then service, mode, wait as declared.
        JsonNode options = subcommands.get("deploy").path("options");
        assertEquals(List.of("tag", "service", "mode", "wait"), names(options));
        assertEquals(deploy.params().stream().map(p -> p.required()).toList(),
                StreamSupport.stream(options.spliterator(), false).map(o -> o.path("required").asBoolean()).toList());
        assertEquals(3, options.get(0).path("type").asInt(), "tag is a string");
        assertEquals(List.of("backend", "worker", "web"), values(options.get(1).path("choices")));
        assertEquals(List.of("rolling", "recreate"), values(options.get(2).path("choices")));
        assertEquals(4, options.get(3).path("type").asInt(), "wait is an integer");
        assertEquals(5, options.get(3).path("min_value").asInt());
        assertEquals(600, options.get(3).path("max_value").asInt());
        assertTrue(discord.requests("PUT", "/api/v10/applications/\\d+/commands").isEmpty(),
                "with a server named, nothing is registered globally");
    }

    // ------------------------------------------------------------ inbound

    @Test
    void slashCommandReachesTheInboxAsTextWithItsOriginAndIsDeferredInTime() throws Exception {
        FakeDiscord.Person dana = FakeDiscord.deployer();
        String id = discord.slashCommand(dana, "deploy", Map.of("tag", "sha-abc1234"));

        RecordingInbox.Command command = inbox.next(RecordingInbox.Command.class);
        assertEquals("deploy sha-abc1234", command.text());
        assertEquals(new ChannelRef("discord", FakeDiscord.CHANNEL_ID, false), command.origin().channel());
        assertEquals(new UserRef("discord", dana.id(), "dana", Set.of(FakeDiscord.DEPLOYER_ROLE_ID)),
                command.origin().user());
        assertEquals(id, command.origin().interactionId());

        FakeDiscord.Request callback = discord.awaitRequest("POST", "/api/v10/interactions/" + id + "/.*/callback", WAIT);
        assertEquals(4, callback.json().path("type").asInt(), "answered at once, with the receipt");
        assertEquals(64, callback.json().path("data").path("flags").asInt(), "privately");
        assertEquals("Received: `/ops deploy sha-abc1234`", callback.json().path("data").path("content").asText());
        assertTrue(Duration.between(discord.sentAt(id), callback.at()).compareTo(Duration.ofSeconds(3)) < 0,
                "acknowledged within three seconds");
    }

    @Test
    void subcommandOptionsAreRebuiltInTheOrderTheCoreParses() throws Exception {
        discord.slashCommand(FakeDiscord.deployer(), "deploy",
                Map.of("wait", 30, "mode", "recreate", "service", "worker", "tag", "1.2.3"));
        assertEquals("deploy 1.2.3 worker --mode recreate --wait 30", inbox.next(RecordingInbox.Command.class).text());

        discord.slashCommand(FakeDiscord.deployer(), "logs", Map.of("tail", 20, "service", "backend"));
        assertEquals("logs backend --tail 20", inbox.next(RecordingInbox.Command.class).text());

        discord.slashCommand(FakeDiscord.deployer(), "ps", Map.of());
        assertEquals("ps", inbox.next(RecordingInbox.Command.class).text());

        discord.slashCommand(FakeDiscord.deployer(), "run", Map.of("text", "  rotate-secret SECRET_KEY "));
        assertEquals("rotate-secret SECRET_KEY", inbox.next(RecordingInbox.Command.class).text());
    }

    @Test
    void buttonPressReachesTheInboxWithItsTokenAndIsAcknowledgedWithoutAnswer() throws Exception {
        MessageRef posted = adapter.post(CHANNEL, confirmation());
        FakeDiscord.Person sam = FakeDiscord.bystander();
        String id = discord.pressButton(sam, posted.id(), "approve:run-42");

        RecordingInbox.Press press = inbox.next(RecordingInbox.Press.class);
        assertEquals("approve:run-42", press.token());
        assertEquals(posted, press.message());
        assertEquals(new UserRef("discord", sam.id(), "sam", Set.of()), press.origin().user());
        assertEquals(id, press.origin().interactionId());
        FakeDiscord.Request callback = discord.awaitRequest("POST", "/api/v10/interactions/" + id + "/.*/callback", WAIT);
        assertEquals(6, callback.json().path("type").asInt(), "deferred edit: the message stays as it is");
    }

    @Test
    void commandInADirectMessageIsDirectAndTheAnswerReachesThatConversation() throws Exception {
        FakeDiscord.Person dana = FakeDiscord.deployer();
        discord.slashCommandInDirectMessage(dana, "history", Map.of());

        RecordingInbox.Command command = inbox.next(RecordingInbox.Command.class);
        assertEquals("history", command.text());
        assertEquals(new ChannelRef("discord", FakeDiscord.DM_CHANNEL_ID, true), command.origin().channel());
        assertEquals(new UserRef("discord", dana.id(), "dana", Set.of()), command.origin().user());

        MessageRef posted = adapter.post(command.origin().channel(), Message.of(Tone.INFO, "History", "No runs yet."));
        MessageRef reply = adapter.reply(posted, Message.of(Tone.INFO, "More", ""));

        assertEquals(dana.id(), discord.awaitRequest("POST", "/api/v10/users/@me/channels", WAIT)
                .json().path("recipient_id").asText());
        List<FakeDiscord.Request> sent = discord.requests("POST", "/api/v10/channels/" + FakeDiscord.DM_CHANNEL_ID + "/messages");
        assertEquals(2, sent.size());
        assertEquals(posted.id(), sent.get(1).json().path("message_reference").path("message_id").asText(),
                "no threads in a direct conversation: a reply just after the parent");
        assertEquals(command.origin().channel(), reply.channel());
    }

    // ------------------------------------------------------------ outbound

    @Test
    void postRendersTheMessageAsAnEmbedWithButtonRows() throws Exception {
        Message message = Message.builder(Tone.WARNING, "Deploy sha-abc1234?")
                .line("backend and worker will be recreated.")
                .field("Tag", "sha-abc1234").field("Asked by", "dana")
                .code("$ docker pull\nok")
                .context("run 42 · expires in 10 min")
                .button(new Button("Approve", "approve:run-42", Button.Style.PRIMARY))
                .button(new Button("Cancel", "cancel:run-42", Button.Style.DANGER))
                .build();
        MessageRef ref = adapter.post(CHANNEL, message);

        FakeDiscord.Request post = discord.awaitRequest("POST", CHANNEL_MESSAGES, WAIT);
        JsonNode embed = post.json().path("embeds").get(0);
        assertEquals("Deploy sha-abc1234?", embed.path("title").asText());
        assertEquals("backend and worker will be recreated.\n```\n$ docker pull\nok\n```", embed.path("description").asText());
        assertEquals(0xFEE75C, embed.path("color").asInt());
        assertEquals("Tag", embed.path("fields").get(0).path("name").asText());
        assertEquals("sha-abc1234", embed.path("fields").get(0).path("value").asText());
        assertEquals("run 42 · expires in 10 min", embed.path("footer").path("text").asText());
        JsonNode row = post.json().path("components").get(0);
        assertEquals(1, row.path("type").asInt());
        assertEquals("approve:run-42", row.path("components").get(0).path("custom_id").asText());
        assertEquals(1, row.path("components").get(0).path("style").asInt(), "primary");
        assertEquals(4, row.path("components").get(1).path("style").asInt(), "danger");
        assertEquals(CHANNEL, ref.channel());
        assertEquals("Deploy sha-abc1234?", discord.message(ref.id()).path("embeds").get(0).path("title").asText());
    }

    @Test
    void sevenButtonsMakeTwoRows() throws Exception {
        List<Button> buttons = IntStream.rangeClosed(1, 7)
                .mapToObj(i -> new Button("Option " + i, "choice:" + i, Button.Style.DEFAULT)).toList();
        adapter.post(CHANNEL, Message.of(Tone.INFO, "Pick one", "").withButtons(buttons));

        JsonNode rows = discord.awaitRequest("POST", CHANNEL_MESSAGES, WAIT).json().path("components");
        assertEquals(2, rows.size());
        assertEquals(5, rows.get(0).path("components").size());
        assertEquals(2, rows.get(1).path("components").size());
        assertEquals("choice:7", rows.get(1).path("components").get(1).path("custom_id").asText());
    }

    @Test
    void longLiveOutputKeepsItsLatestLinesWithinDiscordsLimits() throws Exception {
        StringBuilder output = new StringBuilder();
        for (int i = 1; i <= 2_000; i++) output.append("step output line ").append(i).append('\n');
        adapter.post(CHANNEL, Message.builder(Tone.PROGRESS, "Deploying").line("Pulling images.")
                .code(output.toString().strip()).build());

        JsonNode embed = discord.awaitRequest("POST", CHANNEL_MESSAGES, WAIT).json().path("embeds").get(0);
        String description = embed.path("description").asText();
        assertTrue(description.length() <= 4_096, "description has " + description.length() + " characters");
        assertTrue(description.startsWith("Pulling images.\n```\n\u2026\n"));
        assertTrue(description.endsWith("step output line 2000\n```"));
        assertFalse(description.contains("step output line 1\n"));
    }

    @Test
    void updateReplacesTheEmbedAndTakesTheButtonsAway() throws Exception {
        MessageRef ref = adapter.post(CHANNEL, confirmation());
        adapter.update(ref, Message.of(Tone.SUCCESS, "Deployed sha-abc1234", "All services healthy."));

        FakeDiscord.Request edit = discord.awaitRequest("PATCH", CHANNEL_MESSAGES + "/" + ref.id(), WAIT);
        assertEquals("Deployed sha-abc1234", edit.json().path("embeds").get(0).path("title").asText());
        assertEquals(0x57F287, edit.json().path("embeds").get(0).path("color").asInt());
        assertEquals(0, edit.json().path("components").size());
        assertTrue(edit.json().has("components"), "an empty list removes the buttons");
        assertEquals("Deployed sha-abc1234", discord.message(ref.id()).path("embeds").get(0).path("title").asText());
    }

    @Test
    void attachUploadsTheLogAsAReplyToTheRunsMessage(@TempDir Path dir) throws Exception {
        MessageRef parent = adapter.post(CHANNEL, confirmation());
        Path log = Files.writeString(dir.resolve("full.log"), "line 1\nline 2\n");
        adapter.attach(parent, "run-42.log", log);

        FakeDiscord.Request upload = discord.awaitRequest(
                r -> r.is("POST", CHANNEL_MESSAGES) && !r.files().isEmpty(), WAIT, "an upload");
        assertEquals("run-42.log", upload.files().get(0).fileName());
        assertEquals("line 1\nline 2\n", new String(upload.files().get(0).data(), StandardCharsets.UTF_8));
        assertEquals(parent.id(), upload.json().path("message_reference").path("message_id").asText());
    }

    @Test
    void aLogLargerThanDiscordAcceptsIsAttachedGzipped(@TempDir Path dir) throws Exception {
        MessageRef parent = adapter.post(CHANNEL, confirmation());
        Path log = dir.resolve("full.log");
        try (BufferedWriter out = Files.newBufferedWriter(log)) {
            for (int i = 0; Files.size(log) <= 11L << 20; i++) {
                for (int j = 0; j < 10_000; j++) out.write("step output line " + i + "-" + j + "\n");
                out.flush();
            }
        }
        adapter.attach(parent, "run-43.log", log);

        FakeDiscord.Request upload = discord.awaitRequest(
                r -> r.is("POST", CHANNEL_MESSAGES) && !r.files().isEmpty(), WAIT, "an upload");
        assertEquals("run-43.log.gz", upload.files().get(0).fileName());
        byte[] gz = upload.files().get(0).data();
        assertTrue(gz.length < 10 << 20, gz.length + " bytes");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertArrayEquals(Files.readAllBytes(log), in.readAllBytes(), "the whole log");
        }
    }

    @Test
    void repliesGoToOneThreadStartedUnderTheParentAndNamedAfterIt() throws Exception {
        MessageRef parent = adapter.post(CHANNEL, confirmation());
        MessageRef first = adapter.reply(parent, Message.of(Tone.PROGRESS, "Step 1/3: pull", ""));
        MessageRef second = adapter.reply(parent, Message.of(Tone.PROGRESS, "Step 2/3: up", ""));

        List<FakeDiscord.Request> threads = discord.requests("POST", CHANNEL_MESSAGES + "/" + parent.id() + "/threads");
        assertEquals(1, threads.size());
        assertEquals("Deploy sha-abc1234?", threads.get(0).json().path("name").asText());
        ChannelRef thread = new ChannelRef("discord", parent.id(), false);
        assertEquals(thread, first.channel());
        assertEquals(thread, second.channel());
        assertEquals(2, discord.requests("POST", "/api/v10/channels/" + parent.id() + "/messages").size());
        assertNotEquals(first.id(), second.id());
    }

    @Test
    void declaresDiscordsLimits() {
        assertEquals(4_096, adapter.limits().maxTextChars());
        assertTrue(adapter.limits().maxCodeChars() <= 3_900);
        assertEquals(Duration.ofSeconds(1), adapter.limits().minUpdateInterval());
        assertEquals("discord", adapter.platform());
    }

    private static Message confirmation() {
        return Message.builder(Tone.WARNING, "Deploy sha-abc1234?")
                .field("Asked by", "dana")
                .button(new Button("Approve", "approve:run-42", Button.Style.PRIMARY))
                .button(new Button("Cancel", "cancel:run-42", Button.Style.DANGER))
                .build();
    }

    private static List<String> names(JsonNode options) {
        List<String> names = new ArrayList<>();
        options.forEach(o -> names.add(o.path("name").asText()));
        return names;
    }

    private static List<String> values(JsonNode choices) {
        List<String> values = new ArrayList<>();
        choices.forEach(c -> values.add(c.path("value").asText()));
        return values;
    }
}
