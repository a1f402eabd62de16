package dev.opsbot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack failing in the middle of a real run on the real engine: the Web API answering 500 and then
 * 429 for a while, and the Socket Mode websocket dropped. What the channel shows at the end is the
 * run's true outcome, each message once, and what the bot keeps is whole.
 */
@Timeout(300)
class SlackFaultsDuringRunTest {

    private static final Pattern STEP = Pattern.compile("Step\\*\\n(\\d+)/\\d+");

    @TempDir
    Path dir;

    @Test
    void aBadSpellOfServerErrorsAndRateLimitsDelaysTheRunsMessagesButLosesAndRepeatsNone() throws Exception {
        DockerEngine docker = DockerSupport.connect();
        try (FakeSlack slack = new FakeSlack();
             DemoStack demo = new DemoStack(docker.host(), dir);
             SlackAdapter adapter = new SlackAdapter(new SlackSettings("xoxb-faults", null, SlackDeployEndToEndTest.SECRET,
                     slack.apiUrl(), 0, SlackSettings.DEFAULT_PATH, false));
             TestBot bot = new TestBot(dir, demo.stack(), docker.host(), adapter)) {
            adapter.start(bot.bot);
            SlackEventsClient client = new SlackEventsClient(adapter.localPort(), SlackSettings.DEFAULT_PATH, SlackDeployEndToEndTest.SECRET);
            client.command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "deploy " + DemoStack.NEWER,
                    slack.responseUrl("f-1"), "trigger-f-1"));
            FakeSlack.Call ask = slack.awaitCall("chat.postMessage", 0, Duration.ofSeconds(60));
            client.interaction(SlackButtons.press(ask, "Confirm", "U0ALICE", "alice", slack.responseUrl("f-2")));
            String liveTs = slack.awaitCall("chat.postMessage", 1, Duration.ofSeconds(30)).answerTs();

            // Slack has a bad spell while the run works: 4 calls answered 500, the next 4 answered 429.
            long spellAt = System.nanoTime();
            slack.failNextCalls(4, 4);

            FakeSlack.Call shared = slack.awaitCall(c -> c.method().equals("files.completeUploadExternal") && c.status() == 200,
                    0, Duration.ofSeconds(240), "the log shared");
            assertEquals(liveTs, shared.param("thread_ts"));
            long failed = slack.calls().stream().filter(c -> c.status() == 500).count();
            long limited = slack.calls().stream().filter(c -> c.status() == 429).count();
            assertEquals(8, failed + limited, "the whole spell was met: " + failed + " x 500, " + limited + " x 429");

            List<FakeSlack.Call> posted = slack.calls("chat.postMessage");
            assertEquals(2, posted.size(), "the confirmation and the live message, each once: " + posted.stream().map(FakeSlack.Call::visibleText).toList());
            List<FakeSlack.Call> shown = slack.calls("chat.update").stream()
                    .filter(c -> liveTs.equals(c.param("ts")) && c.status() == 200).toList();
            int lastStep = 0;
            for (FakeSlack.Call update : shown) {
                Matcher step = STEP.matcher(update.visibleText());
                int now = step.find() ? Integer.parseInt(step.group(1)) : 0;
                assertTrue(now >= lastStep, "the live message went back from step " + lastStep + " to " + now);
                lastStep = now;
            }
            FakeSlack.Call outcome = shown.get(shown.size() - 1);
            String last = outcome.visibleText();
            assertTrue(last.contains("Succeeded: deploy " + DemoStack.NEWER), "the last thing shown is the outcome:\n" + last);
            assertEquals(1, slack.calls("files.completeUploadExternal").stream().filter(c -> c.status() == 200).count(), "one log");

            String log = Files.readString(dir.resolve("logs/run-1.log"));
            assertTrue(log.contains("verify /api/v1/health"), "the kept log has every step:\n" + log);
            assertTrue(demo.services().get("backend").image().endsWith(":" + DemoStack.NEWER));
            System.out.printf("Slack spell of %d x 500 and %d x 429: outcome shown %.1f s after it began, %d live updates shown%n",
                    failed, limited, (outcome.atNanos() - spellAt) / 1e9, shown.size());
        }
    }

    @Test
    void aSocketModeDropMidRunLosesNoMessageAndAPressAfterTheReconnectIsAnswered() throws Exception {
        DockerEngine docker = DockerSupport.connect();
        try (FakeSlack slack = new FakeSlack();
             DemoStack demo = new DemoStack(docker.host(), dir);
             SlackAdapter adapter = new SlackAdapter(SlackSettings.fromEnvironment(Map.of(
                     "SLACK_BOT_TOKEN", "xoxb-faults", "SLACK_APP_TOKEN", "xapp-faults", "SLACK_API_URL", slack.apiUrl())));
             TestBot bot = new TestBot(dir, demo.stack(), docker.host(), adapter)) {
            demo.upAndMigrate();
            adapter.start(bot.bot);
            slack.sendEnvelope("slash_commands", SlackPayloads.toJson(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice",
                    "rollback " + DemoStack.VERSION, slack.responseUrl("s-1"), "trigger-s-1")));
            FakeSlack.Call ask = slack.awaitCall("chat.postMessage", 0, Duration.ofSeconds(60));
            slack.sendEnvelope("interactive", SlackButtons.press(ask, "Confirm", "U0ALICE", "alice", slack.responseUrl("s-2")));
            FakeSlack.Call question = slack.awaitCall(c -> c.method().equals("chat.postMessage") && isQuestion(c),
                    0, Duration.ofSeconds(60), "the run's question");

            // The websocket goes away while the run waits for its answer, and comes back.
            long droppedAt = System.nanoTime();
            slack.dropSocketMode();
            awaitReady(adapter, false);
            slack.restoreSocketMode();
            awaitReady(adapter, true);
            long reconnectMillis = (System.nanoTime() - droppedAt) / 1_000_000;

            String press = slack.sendEnvelope("interactive", SlackButtons.press(question, "Skip", "U0ALICE", "alice", slack.responseUrl("s-3")));
            slack.awaitAck(press, Duration.ofSeconds(10));
            FakeSlack.Call done = slack.awaitCall(c -> c.method().equals("chat.update") && c.visibleText().contains("Succeeded: rollback"),
                    0, Duration.ofSeconds(180), "the run's outcome");
            assertTrue(done.visibleText().contains("Succeeded: rollback " + DemoStack.VERSION), done.visibleText());
            assertEquals(1, slack.socketMode().deliveries(press).size(), "the press reached the bot at the first try");
            assertEquals(1, slack.calls("chat.postMessage").stream().filter(SlackFaultsDuringRunTest::isQuestion).count(),
                    "the question was asked once");
            assertTrue(demo.services().get("backend").image().endsWith(":" + DemoStack.VERSION));
            System.out.println("Socket Mode reconnected " + reconnectMillis + " ms after the drop");
        }
    }

    private static boolean isQuestion(FakeSlack.Call posted) {
        return SlackButtons.of(posted).stream().anyMatch(b -> b.label().equals("Skip"));
    }

    private static void awaitReady(SlackAdapter adapter, boolean ready) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (adapter.notReady().isEmpty() != ready) {
            if (System.nanoTime() > deadline) throw new AssertionError("Socket Mode " + (ready ? "never reconnected" : "never noticed the drop"));
            Thread.sleep(50);
        }
    }
}
