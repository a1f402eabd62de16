package dev.opsbot.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the core sends: rendered as Block Kit and delivered to the right Web API method. */
@Timeout(60)
class OutboundTest {

    static final String SECRET = "outbound-signing-secret";
    static final Duration WAIT = Duration.ofSeconds(5);
    static final ChannelRef OPS = ChannelRef.of("slack", "C0OPS");

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

    static Message confirmation() {
        return Message.builder(Tone.WARNING, "Deploy sha-abc1234 to production?")
                .line("Services: backend, worker <all> & more")
                .field("Tag", "sha-abc1234")
                .field("Asked by", "alice")
                .context("Expires in 10 minutes")
                .button(new Button("Confirm", "confirm:run-42", Button.Style.PRIMARY))
                .button(new Button("Cancel", "cancel:run-42", Button.Style.DANGER))
                .button(new Button("Details", "details:run-42", Button.Style.DEFAULT))
                .build();
    }

    static List<JsonObject> blocksOfType(JsonArray blocks, String type) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement b : blocks) if (b.getAsJsonObject().get("type").getAsString().equals(type)) out.add(b.getAsJsonObject());
        return out;
    }

    @Test
    void postRendersBlockKitAndReturnsTheMessageTs() throws Exception {
        MessageRef ref = adapter.post(OPS, confirmation());

        FakeSlack.Call call = slack.awaitCall("chat.postMessage", WAIT);
        assertEquals("C0OPS", call.param("channel"));
        assertEquals("Bearer xoxb-test", call.authorization());
        assertEquals(new MessageRef(OPS, "1700000000.000001"), ref);
        JsonArray blocks = call.blocks();
        assertEquals(List.of("header", "section", "section", "context", "actions"),
                blocks.asList().stream().map(b -> b.getAsJsonObject().get("type").getAsString()).toList());
        JsonObject header = blocks.get(0).getAsJsonObject().getAsJsonObject("text");
        assertEquals("plain_text", header.get("type").getAsString());
        assertEquals(":warning: Deploy sha-abc1234 to production?", header.get("text").getAsString());
        JsonObject text = blocks.get(1).getAsJsonObject().getAsJsonObject("text");
        assertEquals("mrkdwn", text.get("type").getAsString());
        assertEquals("Services: backend, worker &lt;all&gt; &amp; more", text.get("text").getAsString());
        JsonArray fields = blocks.get(2).getAsJsonObject().getAsJsonArray("fields");
        assertEquals("*Tag*\nsha-abc1234", fields.get(0).getAsJsonObject().get("text").getAsString());
        assertEquals("*Asked by*\nalice", fields.get(1).getAsJsonObject().get("text").getAsString());
        assertEquals("Expires in 10 minutes", blocks.get(3).getAsJsonObject().getAsJsonArray("elements")
                .get(0).getAsJsonObject().get("text").getAsString());
        JsonArray buttons = blocks.get(4).getAsJsonObject().getAsJsonArray("elements");
        assertEquals("Confirm", buttons.get(0).getAsJsonObject().getAsJsonObject("text").get("text").getAsString());
        assertEquals("confirm:run-42", buttons.get(0).getAsJsonObject().get("value").getAsString());
        assertEquals("primary", buttons.get(0).getAsJsonObject().get("style").getAsString());
        assertEquals("danger", buttons.get(1).getAsJsonObject().get("style").getAsString());
        assertFalse(buttons.get(2).getAsJsonObject().has("style"));
        assertTrue(call.param("text").startsWith(":warning: Deploy sha-abc1234 to production?"),
                "fallback text for notifications: " + call.param("text"));
    }

    @Test
    void sevenButtonsSplitIntoTwoActionsBlocksWithUniqueActionIds() throws Exception {
        Message.Builder b = Message.builder(Tone.INFO, "Pick a service");
        IntStream.range(0, 7).forEach(i -> b.button(new Button("svc " + i, "pick:" + i, Button.Style.DEFAULT)));

        adapter.post(OPS, b.build());

        JsonArray blocks = slack.awaitCall("chat.postMessage", WAIT).blocks();
        List<JsonObject> actions = blocksOfType(blocks, "actions");
        assertEquals(2, actions.size());
        assertEquals(5, actions.get(0).getAsJsonArray("elements").size());
        assertEquals(2, actions.get(1).getAsJsonArray("elements").size());
        List<String> ids = new ArrayList<>();
        List<String> values = new ArrayList<>();
        actions.forEach(a -> a.getAsJsonArray("elements").forEach(e -> {
            ids.add(e.getAsJsonObject().get("action_id").getAsString());
            values.add(e.getAsJsonObject().get("value").getAsString());
        }));
        assertEquals(7, ids.stream().distinct().count(), "action ids unique: " + ids);
        assertEquals(IntStream.range(0, 7).mapToObj(i -> "pick:" + i).toList(), values);
    }

    @Test
    void longCodeIsCutToSlacksLimitKeepingTheNewestOutput() throws Exception {
        String log = IntStream.range(0, 2_000).mapToObj(i -> "line " + i + " <ok> & done")
                .collect(Collectors.joining("\n"));

        adapter.post(OPS, Message.builder(Tone.PROGRESS, "Deploying").code(log).build());

        JsonArray blocks = slack.awaitCall("chat.postMessage", WAIT).blocks();
        String code = blocks.get(1).getAsJsonObject().getAsJsonObject("text").get("text").getAsString();
        assertTrue(code.length() <= 3_000, "section text is " + code.length() + " chars");
        assertTrue(code.startsWith("```"), code.substring(0, 20));
        assertTrue(code.endsWith("line 1999 &lt;ok&gt; &amp; done```"), "newest line kept");
        assertFalse(code.contains("line 0 "), "oldest lines dropped");
        assertTrue(adapter.limits().maxCodeChars() + 6 <= 3_000, "declared limit fits a section with fences");
    }

    @Test
    void longTitleAndTextStayWithinLimits() throws Exception {
        adapter.post(OPS, Message.of(Tone.FAILURE, "t".repeat(400), "x".repeat(50_000)));

        FakeSlack.Call call = slack.awaitCall("chat.postMessage", WAIT);
        JsonArray blocks = call.blocks();
        assertTrue(blocks.get(0).getAsJsonObject().getAsJsonObject("text").get("text").getAsString().length() <= 150);
        assertTrue(blocks.get(1).getAsJsonObject().getAsJsonObject("text").get("text").getAsString().length() <= 3_000);
        assertTrue(call.param("text").length() <= 40_000);
    }

    @Test
    void updateReplacesTheMessageByTs() throws Exception {
        MessageRef ref = adapter.post(OPS, confirmation());

        adapter.update(ref, confirmation().withoutButtons().withCode("pulling backend..."));

        FakeSlack.Call update = slack.awaitCall("chat.update", WAIT);
        assertEquals("C0OPS", update.param("channel"));
        assertEquals(ref.id(), update.param("ts"));
        assertTrue(blocksOfType(update.blocks(), "actions").isEmpty(), "buttons removed");
        assertTrue(update.visibleText().contains("```pulling backend...```"));
    }

    @Test
    void rateLimitedUpdateWaitsAndLosesNothing() throws Exception {
        MessageRef ref = adapter.post(OPS, Message.of(Tone.PROGRESS, "Deploying", "step 1"));
        slack.rateLimitNextUpdates(2);

        long start = System.nanoTime();
        adapter.update(ref, Message.of(Tone.PROGRESS, "Deploying", "step 2"));
        adapter.update(ref, Message.of(Tone.SUCCESS, "Deployed", "all healthy"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        List<FakeSlack.Call> updates = slack.calls("chat.update");
        assertEquals(List.of(429, 429, 200, 200), updates.stream().map(FakeSlack.Call::status).toList());
        assertTrue(updates.get(2).visibleText().contains("step 2"));
        assertTrue(updates.get(3).visibleText().contains("all healthy"), "the final update arrived");
        assertTrue(took.compareTo(Duration.ofMillis(1_900)) >= 0, "waited out Retry-After twice: " + took);
    }

    @Test
    void updatesOfOneMessageAreAtLeastASecondApart() throws Exception {
        MessageRef ref = adapter.post(OPS, Message.of(Tone.PROGRESS, "Deploying", "0"));

        for (int i = 1; i <= 3; i++) adapter.update(ref, Message.of(Tone.PROGRESS, "Deploying", "step " + i));

        List<FakeSlack.Call> updates = slack.calls("chat.update");
        assertEquals(3, updates.size());
        for (int i = 1; i < updates.size(); i++) {
            long gapMillis = (updates.get(i).atNanos() - updates.get(i - 1).atNanos()) / 1_000_000;
            assertTrue(gapMillis >= 950, "updates " + gapMillis + " ms apart");
        }
    }

    @Test
    void concurrentUpdatesEndWithTheNewestContent() throws Exception {
        MessageRef ref = adapter.post(OPS, Message.of(Tone.PROGRESS, "Deploying", "0"));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            adapter.update(ref, Message.of(Tone.PROGRESS, "Deploying", "first"));
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                int n = i;
                pending.add(threads.submit(() -> adapter.update(ref, Message.of(Tone.PROGRESS, "Deploying", "later " + n))));
                Thread.sleep(50);
            }
            for (Future<?> f : pending) f.get();
        } finally {
            threads.shutdownNow();
        }

        List<FakeSlack.Call> updates = slack.calls("chat.update");
        assertTrue(updates.size() <= 3, "superseded updates skipped: " + updates.size());
        assertTrue(updates.get(updates.size() - 1).visibleText().contains("later 4"), "newest content shown last");
    }

    @Test
    void replyPostsInTheThreadOfTheParent() throws Exception {
        MessageRef parent = adapter.post(OPS, confirmation());

        MessageRef reply = adapter.reply(parent, Message.of(Tone.INFO, "Output", "pulling"));

        FakeSlack.Call call = slack.awaitCall("chat.postMessage", 1, WAIT);
        assertEquals(parent.id(), call.param("thread_ts"));
        assertEquals("C0OPS", call.param("channel"));
        assertEquals(OPS, reply.channel());
        assertFalse(reply.id().equals(parent.id()));
    }

    @Test
    void whisperAnswersThroughTheResponseUrlOfTheInteraction() throws Exception {
        client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "deploy nope",
                slack.responseUrl("w1"), "trigger-w1"));
        Origin origin = inbox.next(RecordingInbox.Command.class, WAIT).origin();

        adapter.whisper(origin, Message.of(Tone.FAILURE, "Unknown tag", "No image nope in the registry"));

        FakeSlack.Call call = slack.awaitCall("response_url", WAIT);
        assertEquals("w1", call.param("id"));
        JsonObject body = call.json();
        assertEquals("ephemeral", body.get("response_type").getAsString());
        assertFalse(body.get("replace_original").getAsBoolean());
        assertTrue(call.visibleText().contains(":x: Unknown tag"));
        assertTrue(slack.calls("chat.postEphemeral").isEmpty());
    }

    @Test
    void whisperFallsBackToPostEphemeralWhenTheResponseUrlIsRefused() throws Exception {
        slack.refuseResponseUrl("w2");
        client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "help",
                slack.responseUrl("w2"), "trigger-w2"));
        Origin origin = inbox.next(RecordingInbox.Command.class, WAIT).origin();

        adapter.whisper(origin, Message.of(Tone.INFO, "Help", "..."));

        FakeSlack.Call call = slack.awaitCall("chat.postEphemeral", WAIT);
        assertEquals("C0OPS", call.param("channel"));
        assertEquals("U0ALICE", call.param("user"));
    }

    @Test
    void whisperWithoutAnInteractionUsesPostEphemeral() throws Exception {
        Origin origin = new Origin(OPS, UserRef.of("slack", "U0CAROL"));

        adapter.whisper(origin, Message.of(Tone.WARNING, "Not allowed", "You may not deploy here."));

        FakeSlack.Call call = slack.awaitCall("chat.postEphemeral", WAIT);
        assertEquals("U0CAROL", call.param("user"));
        assertTrue(call.visibleText().contains("You may not deploy here."));
    }

    @Test
    void attachUploadsTheFileInThreeStepsIntoTheThread(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("run-42.log");
        Files.writeString(log, "pulling backend\nrecreating backend\nhealthy\n");
        MessageRef parent = adapter.post(OPS, confirmation());

        adapter.attach(parent, "run-42.log", log);

        FakeSlack.Call getUrl = slack.awaitCall("files.getUploadURLExternal", WAIT);
        assertEquals("run-42.log", getUrl.param("filename"));
        assertEquals(String.valueOf(Files.size(log)), getUrl.param("length"));
        FakeSlack.Call upload = slack.awaitCall("upload", WAIT);
        assertEquals("pulling backend\nrecreating backend\nhealthy\n", upload.body());
        FakeSlack.Call complete = slack.awaitCall("files.completeUploadExternal", WAIT);
        assertEquals("C0OPS", complete.param("channel_id"));
        assertEquals(parent.id(), complete.param("thread_ts"));
        assertTrue(complete.param("files").contains(upload.param("file_id")));
        List<String> order = slack.calls().stream().map(FakeSlack.Call::method)
                .filter(m -> m.startsWith("files.") || m.equals("upload")).toList();
        assertEquals(List.of("files.getUploadURLExternal", "upload", "files.completeUploadExternal"), order);
        assertTrue(slack.calls("files.upload").isEmpty(), "the retired files.upload is never used");
    }

    @Test
    void modalWithoutAFreshInteractionIsRefused() {
        Origin origin = new Origin(OPS, UserRef.of("slack", "U0ALICE"), "no-such-interaction");

        var e = assertThrows(SlackCallException.class, () -> adapter.openModal(origin,
                new dev.opsbot.core.chat.ModalPort.Modal("t", "Secret", List.of())));
        assertEquals("views.open", e.method());
        assertTrue(slack.calls("views.open").isEmpty());
    }

    @Test
    void slackErrorsSurfaceWithSlacksErrorCode() {
        var e = assertThrows(SlackCallException.class,
                () -> adapter.post(ChannelRef.of("slack", FakeSlack.MISSING_CHANNEL), Message.of(Tone.INFO, "x", "")));
        assertEquals("chat.postMessage", e.method());
        assertEquals("channel_not_found", e.error());
    }
}
