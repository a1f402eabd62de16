package dev.opsbot.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.telemetry.Telemetry;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot asked to stop (SIGTERM): new commands are answered "restarting" and counted busy, a
 * run whose step ends within the grace period stops before its next step, a run still in a step
 * when the bot closes is left as a crash leaves it; either way the next start reports it at the
 * step where it stopped, and Resume continues there. No engine needed.
 */
@Timeout(60)
class GracefulStopTest {
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Stack stack;
    DockerEngine unreachable;
    HttpServer slow;
    final CountDownLatch checkStarted = new CountDownLatch(1);
    final CountDownLatch checkMayEnd = new CountDownLatch(1);
    final List<Database> databases = new ArrayList<>();

    /** What the bot counted, one line a call. */
    static final class CountedTelemetry implements Telemetry {
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized void commandAnswered(String verb, String outcome) {
            calls.add("command " + verb + " " + outcome);
        }

        @Override
        public synchronized void runFinished(String runbook, String result, Duration duration) {
            calls.add("run " + runbook + " " + result);
        }

        @Override
        public synchronized void stepFinished(String kind, String result, Duration duration) {
            calls.add("step " + kind + " " + result);
        }

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }

        /** Whether {@code call} is counted within a few seconds (a run is counted as its last message goes out). */
        boolean counts(String call) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!calls().contains(call) && System.nanoTime() < deadline) Thread.sleep(20);
            return calls().contains(call);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.createContext("/slow", exchange -> {
            checkStarted.countDown();
            try {
                checkMayEnd.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slow.start();
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("slowcheck.yml"), """
                name: slowcheck
                summary: a slow check, a question, an echo
                mutates: true
                steps:
                  - http-check: {url: "http://127.0.0.1:%d/slow", retries: 1, request-timeout: 30s}
                  - choice: {question: "go on?", options: [{label: Go, steps: [{echo: {text: going}}]}, {label: Stop}], wait: 1m}
                  - echo: {text: done}
                """.formatted(slow.getAddress().getPort()));
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stackDir.resolve(".env"));
        stack = new Stack("shop", stackDir.resolve("docker-compose.yml"), "opsbot-stopping", Map.of());
        unreachable = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"));
    }

    @AfterEach
    void tearDown() {
        slow.stop(0);
        unreachable.close();
        databases.forEach(Database::close);
    }

    /** A bot of the environment "staging" on this test's database, started. */
    private Bot bot(RecordingChatPort chat, Telemetry telemetry) {
        Database db = Database.open(dir.resolve("db/opsbot"));
        databases.add(db);
        Bot bot = new Bot(new BotSettings(stack, dir.resolve("runbooks"), dir.resolve("logs"), Duration.ofMinutes(10), null,
                AccessPolicy.openToAll(), null, null, null, "staging", telemetry), unreachable.host(), db, new Redactor(List::of),
                new MutableClock());
        bot.register(chat);
        bot.start();
        return bot;
    }

    private static void press(Bot bot, RecordingChatPort chat, String user, Event on, String label) {
        Button button = chat.message(on.ref()).buttons().stream().filter(b -> b.label().startsWith(label)).findFirst().orElseThrow();
        bot.onPress(TestBot.as(user, chat), button.token(), on.ref());
    }

    /** Closes the bot, then reads run {@code id} as it was left, then closes the database (as a process ending would). */
    private RunRecord closeAndRead(Bot bot, long id) {
        bot.close();
        RunRecord run = bot.services().runs().find(id).orElseThrow();
        databases.remove(databases.size() - 1).close();
        return run;
    }

    @Test
    void aRunWhoseStepEndsWithinTheGraceStopsBeforeItsNextStepAndResumesThereAfterTheRestart() throws Exception {
        RecordingChatPort chat = new RecordingChatPort();
        CountedTelemetry counted = new CountedTelemetry();
        Bot first = bot(chat, counted);
        first.onCommand(TestBot.as("alice", chat), "slowcheck");
        Event ask = chat.awaitPostWithTitle(0, "Confirm: slowcheck", QUICK);
        press(first, chat, "alice", ask, "Confirm");
        Event live = chat.awaitPostWithTitle(0, "Running: slowcheck", QUICK);
        assertTrue(checkStarted.await(20, TimeUnit.SECONDS), "the slow check started");

        first.stopTaking();
        int from = chat.size();
        first.onCommand(TestBot.as("bob", chat), "ps");
        Event answer = chat.awaitWhisper(from, QUICK);
        assertEquals("opsbot is restarting, try again in a moment.", answer.message().text(), answer.message().plainText());
        checkMayEnd.countDown();
        assertTrue(first.awaitStopped(QUICK), "the check ended within the grace period and the run stopped");

        Message stopped = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertTrue(stopped.title().startsWith("Interrupted: slowcheck (run #1)"), stopped.plainText());
        assertTrue(stopped.text().contains("opsbot stopped for a restart before step 2/3 (ask: go on?)"), stopped.plainText());
        assertTrue(chat.events().stream().noneMatch(e -> e.message() != null && e.message().title().startsWith("Run #1 was interrupted")),
                "reported at the next start, not now");
        RunRecord left = closeAndRead(first, 1);
        assertEquals(RunStatus.RUNNING, left.status(), "left as a crash leaves it");
        assertEquals(2, left.currentStep());
        assertTrue(counted.calls().contains("command ps busy"), counted.calls().toString());
        assertTrue(counted.calls().contains("command slowcheck ok"), counted.calls().toString());
        assertTrue(counted.calls().contains("step http-check succeeded"), counted.calls().toString());
        assertTrue(counted.calls().stream().noneMatch(c -> c.startsWith("run ")), "no result until the restart: " + counted.calls());

        RecordingChatPort again = new RecordingChatPort();
        CountedTelemetry after = new CountedTelemetry();
        Bot second = bot(again, after);
        Event report = again.awaitPostWithTitle(0, "Run #1 was interrupted", QUICK);
        assertTrue(report.message().text().contains("during step 2/3 (ask: go on?)"), report.message().plainText());
        assertTrue(after.calls().contains("run slowcheck interrupted"), after.calls().toString());
        press(second, again, "alice", report, "Resume at step 2");
        Event question = again.await(0, e -> e.message() != null && e.message().title().contains("go on?"), QUICK);
        press(second, again, "alice", question, "Stop");
        Event resumed = again.awaitPostWithTitle(0, "Running: slowcheck", QUICK);
        Message done = again.awaitState(resumed.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        assertTrue(done.plainText().contains("resuming at step 2/3 of interrupted run #1"), done.plainText());
        assertTrue(after.counts("run slowcheck succeeded"), after.calls().toString());
        second.close();
    }

    @Test
    void aRunStillInAStepWhenTheBotClosesIsLeftAsACrashLeavesItAndReportedAtThatStep() throws Exception {
        checkMayEnd.countDown();
        RecordingChatPort chat = new RecordingChatPort();
        Bot first = bot(chat, Telemetry.NONE);
        first.onCommand(TestBot.as("alice", chat), "slowcheck");
        Event ask = chat.awaitPostWithTitle(0, "Confirm: slowcheck", QUICK);
        press(first, chat, "alice", ask, "Confirm");
        Event live = chat.awaitPostWithTitle(0, "Running: slowcheck", QUICK);
        Event question = chat.await(0, e -> e.message() != null && e.message().title().contains("go on?"), QUICK);

        first.stopTaking();
        assertTrue(first.awaitStopped(Duration.ofSeconds(1)), "a run that waits for a person does not hold the stop up");
        int from = chat.size();
        press(first, chat, "alice", question, "Go");
        assertEquals("opsbot is restarting, try again in a moment.", chat.awaitWhisper(from, QUICK).message().text());
        RunRecord left = closeAndRead(first, 1);
        Message cut = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertTrue(cut.text().contains("opsbot stopped for a restart during step 2/3 (ask: go on?)"), cut.plainText());
        assertEquals(RunStatus.RUNNING, left.status(), "not failed: left as a crash leaves it");
        assertEquals(2, left.currentStep());

        RecordingChatPort again = new RecordingChatPort();
        Bot second = bot(again, Telemetry.NONE);
        Event report = again.awaitPostWithTitle(0, "Run #1 was interrupted", QUICK);
        assertTrue(report.message().text().contains("during step 2/3 (ask: go on?)"), report.message().plainText());
        assertTrue(again.message(report.ref()).buttons().stream().anyMatch(b -> b.label().equals("Resume at step 2")),
                again.describe(0));
        assertTrue(second.lock().isPresent(), "the stack stays locked for the resume");
        second.close();
    }
}
