package dev.opsbot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ops deploy <tag>} typed in Slack (HTTP mode, signed requests) reaches the real bot,
 * which deploys the demo stack on the real Docker engine: confirmation with buttons, Confirm
 * pressed, live output through {@code chat.update}, the final message and the run's log uploaded
 * in its thread.
 */
@Timeout(300)
class SlackDeployEndToEndTest {

    static final String SECRET = "e2e-signing-secret";

    @TempDir
    Path dir;

    @Test
    void deployTypedInSlackRunsTheNewTagAndReportsLive() throws Exception {
        DockerEngine docker = DockerSupport.connect();
        try (FakeSlack slack = new FakeSlack();
             DemoStack demo = new DemoStack(docker.host(), dir);
             SlackAdapter adapter = new SlackAdapter(new SlackSettings("xoxb-e2e", null, SECRET, slack.apiUrl(), 0,
                     SlackSettings.DEFAULT_PATH, false));
             TestBot bot = new TestBot(dir, demo.stack(), docker.host(), adapter)) {
            adapter.start(bot.bot);
            SlackEventsClient client = new SlackEventsClient(adapter.localPort(), SlackSettings.DEFAULT_PATH, SECRET);

            // alice types the command
            var typed = client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice",
                    "deploy " + DemoStack.NEWER, slack.responseUrl("e2e-1"), "trigger-e2e-1"));
            assertEquals(200, typed.status());

            // the bot asks for confirmation with buttons
            FakeSlack.Call ask = slack.awaitCall("chat.postMessage", 0, Duration.ofSeconds(60));
            assertEquals("C0OPS", ask.param("channel"));
            assertTrue(ask.visibleText().contains("deploy " + DemoStack.NEWER), ask.visibleText());
            JsonObject confirm = button(ask, "Confirm");
            String askTs = ask.answerTs();

            // alice presses Confirm
            var pressed = client.interaction(SlackPayloads.buttonPress("C0OPS", askTs, "U0ALICE", "alice",
                    confirm.get("action_id").getAsString(), confirm.get("value").getAsString(),
                    slack.responseUrl("e2e-2"), "trigger-e2e-2"));
            assertEquals(200, pressed.status());
            FakeSlack.Call confirmed = slack.awaitCall(c -> c.method().equals("chat.update")
                    && askTs.equals(c.param("ts")), 0, Duration.ofSeconds(30), "chat.update of the confirmation");
            assertTrue(confirmed.visibleText().contains("Confirmed"), confirmed.visibleText());
            assertTrue(OutboundTest.blocksOfType(confirmed.blocks(), "actions").isEmpty(), "buttons gone once confirmed");

            // the run posts its live message, updates it while it works, then attaches the log in its thread
            FakeSlack.Call live = slack.awaitCall("chat.postMessage", 1, Duration.ofSeconds(30));
            String liveTs = live.answerTs();
            FakeSlack.Call complete = slack.awaitCall("files.completeUploadExternal", 0, Duration.ofSeconds(240));
            assertEquals("C0OPS", complete.param("channel_id"));
            assertEquals(liveTs, complete.param("thread_ts"));
            FakeSlack.Call upload = slack.awaitCall("upload", Duration.ofSeconds(5));
            assertTrue(upload.body().contains(DemoStack.NEWER), "the log names the tag:\n" + upload.body());
            assertTrue(upload.body().contains("alembic"), "the log has the migration step:\n" + upload.body());

            List<FakeSlack.Call> liveUpdates = slack.calls("chat.update").stream()
                    .filter(c -> liveTs.equals(c.param("ts")) && c.status() == 200).toList();
            assertTrue(liveUpdates.size() >= 2, "live output updated the message " + liveUpdates.size() + " time(s)");
            for (int i = 1; i < liveUpdates.size(); i++) {
                long gapMillis = (liveUpdates.get(i).atNanos() - liveUpdates.get(i - 1).atNanos()) / 1_000_000;
                assertTrue(gapMillis >= 950, "updates of the live message " + gapMillis + " ms apart");
            }
            FakeSlack.Call last = liveUpdates.get(liveUpdates.size() - 1);
            String header = last.blocks().get(0).getAsJsonObject().getAsJsonObject("text").get("text").getAsString();
            assertTrue(header.startsWith(BlockKitRenderer.emoji(dev.opsbot.core.chat.Tone.SUCCESS)),
                    "the final message shows success: " + last.visibleText());

            // and the stack really runs the new tag
            Map<String, ServiceContainer> services = demo.services();
            for (String service : List.of("backend", "worker")) {
                ServiceContainer c = services.get(service);
                assertNotNull(c, service + " is running");
                assertTrue(c.running(), service + " is " + c.state());
                assertTrue(c.image().endsWith(":" + DemoStack.NEWER), service + " runs " + c.image());
            }
        }
    }

    private static JsonObject button(FakeSlack.Call call, String label) {
        for (JsonObject actions : OutboundTest.blocksOfType(call.blocks(), "actions")) {
            for (JsonElement e : actions.getAsJsonArray("elements")) {
                JsonObject b = e.getAsJsonObject();
                if (b.getAsJsonObject("text").get("text").getAsString().equals(label)) return b;
            }
        }
        throw new AssertionError("no " + label + " button in " + call.blocks());
    }
}
