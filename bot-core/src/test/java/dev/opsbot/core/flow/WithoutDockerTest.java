package dev.opsbot.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.LockStore;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the bot says and keeps when Docker is down, and after a crash: no engine needed. */
@Timeout(60)
class WithoutDockerTest {
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Stack stack;
    DockerEngine unreachable;

    @BeforeEach
    void setUp() throws Exception {
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stackDir.resolve(".env"));
        stack = new Stack("demo", stackDir.resolve("docker-compose.yml"), "opsbot-nodocker", Map.of());
        unreachable = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"));
    }

    @AfterEach
    void tearDown() {
        unreachable.close();
    }

    @Test
    void dockerDownIsSaidClearlyAndTheRunStopsBeforeChangingTheFile() throws Exception {
        String composeBefore = Files.readString(stack.composeFile());
        RecordingChatPort chat = new RecordingChatPort();
        try (TestBot bot = new TestBot(dir, stack, unreachable.host(), chat)) {
            bot.type("alice", "ps", chat);
            Event reply = chat.awaitWhisper(0, QUICK);
            assertTrue(reply.message().text().contains("Docker is not reachable"), reply.message().plainText());

            int from = chat.size();
            bot.type("alice", "deploy sha-5d6e7f8", chat);
            Event ask = chat.awaitPostWithTitle(from, "Confirm: deploy", QUICK);
            bot.press("alice", chat.message(ask.ref()).buttons().get(0).token(), ask.ref(), chat);
            Event live = chat.awaitPostWithTitle(from, "Running: deploy", QUICK);
            var done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
            assertEquals(Tone.FAILURE, done.tone());
            assertTrue(done.text().contains("Failed at step 1/7") && done.text().contains("Docker is not reachable"), done.text());
            assertTrue(done.text().contains("Done before: nothing"), done.text());
        }
        assertEquals(composeBefore, Files.readString(stack.composeFile()), "nothing was pinned");
    }

    @Test
    void anInterruptedRunAcknowledgedRunsNothingAndLetsTheStackGo() throws Exception {
        try (Database db = Database.open(dir.resolve("db/opsbot"))) {
            RunStore runs = new RunStore(db);
            long id = runs.start("deploy", "deploy sha-5d6e7f8", Map.of("tag", "sha-5d6e7f8"), "test:alice",
                    RecordingChatPort.CHANNEL.toString(), 7);
            runs.stepStarted(id, 3, "migrate (alembic upgrade head)");
            new LockStore(db).acquire(stack.name(), id, "test:alice", "deploy sha-5d6e7f8", Instant.now());
        }
        RecordingChatPort chat = new RecordingChatPort();
        try (TestBot bot = new TestBot(dir, stack, unreachable.host(), chat)) {
            Event report = chat.awaitPostWithTitle(0, "was interrupted", QUICK);
            List<Button> buttons = chat.message(report.ref()).buttons();
            assertEquals(List.of("Resume at step 3", "Acknowledge"), buttons.stream().map(Button::label).toList());
            assertTrue(report.message().text().contains("resumed, rolled back or acknowledged"), report.message().plainText());
            assertTrue(bot.bot.lock().isPresent(), "the crash left the stack locked");

            bot.press("alice", buttons.get(1).token(), report.ref(), chat);
            var acknowledged = chat.awaitState(report.ref(), m -> m.buttons().isEmpty(), QUICK);
            assertTrue(acknowledged.text().contains("Acknowledged by alice: nothing was resumed or rolled back"), acknowledged.plainText());
            assertTrue(bot.bot.lock().isEmpty(), "the lock is let go");
            assertTrue(chat.events().stream().noneMatch(e -> e.message() != null && e.message().title().startsWith("Running:")), "nothing ran");
            assertTrue(bot.bot.services().audit().recent(5).stream().anyMatch(a -> a.detail().equals("acknowledge run #1")), "audited");
        }
    }

    @Test
    void aRunLeftRunningByACrashIsReportedAfterRestartWithItsStep() throws Exception {
        try (Database db = Database.open(dir.resolve("db/opsbot"))) {
            RunStore runs = new RunStore(db);
            long id = runs.start("deploy", "deploy sha-5d6e7f8", Map.of(), "test:alice", RecordingChatPort.CHANNEL.toString(), 7);
            runs.stepStarted(id, 3, "migrate (alembic upgrade head)");
        }
        RecordingChatPort chat = new RecordingChatPort();
        try (TestBot bot = new TestBot(dir, stack, unreachable.host(), chat)) {
            Event report = chat.awaitPostWithTitle(0, "was interrupted", QUICK);
            String text = report.message().text();
            assertTrue(text.contains("Run #1 (deploy sha-5d6e7f8, requested by alice)"), text);
            assertTrue(text.contains("step 3/7 (migrate (alembic upgrade head))"), text);
            assertEquals(RunStatus.INTERRUPTED, bot.bot.services().runs().find(1).orElseThrow().status());
        }
        RecordingChatPort again = new RecordingChatPort();
        try (TestBot bot = new TestBot(dir, stack, unreachable.host(), again)) {
            Thread.sleep(300);
            assertTrue(again.events().stream().noneMatch(e -> e.message() != null && e.message().title().contains("interrupted")),
                    "reported once, not at every start");
        }
    }

    @Test
    void aFloodOfCommandsIsAnsweredBusyBeyondWhatTheBotCanStartSoonAndTheRestAreAnswered() throws Exception {
        RecordingChatPort chat = new RecordingChatPort();
        int sent = 400;
        try (TestBot bot = new TestBot(dir, stack, unreachable.host(), chat)) {
            for (int i = 0; i < sent; i++) bot.bot.onCommand(TestBot.as("user" + i, chat), "help");
            assertTrue(bot.bot.awaitIdle(Duration.ofSeconds(30)));
            long deadline = System.nanoTime() + QUICK.toNanos();
            while (chat.events().size() < sent && System.nanoTime() < deadline) Thread.sleep(20);
            List<Event> answers = chat.events();
            long busy = answers.stream().filter(e -> e.message().plainText().contains("opsbot is busy")).count();
            long helped = answers.stream().filter(e -> e.message().plainText().contains("/ops deploy")).count();
            assertEquals(sent, answers.size(), "every command got an answer");
            assertTrue(busy > 0, "a flood beyond the queue is refused as busy");
            assertEquals(sent, busy + helped, "the others were answered in full");
            assertFalse(bot.bot.overloaded(), "the queue drained");
        }
    }
}
