package dev.opsbot.core.press;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Presses as the press layer answers them: every kind has its handler, and Confirm runs what was asked. */
@Timeout(60)
class PressSeamsTest {
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Stack stack;
    Path runbooks;
    DockerEngine unreachable;

    @BeforeEach
    void setUp() throws IOException {
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stackDir.resolve(".env"));
        stack = new Stack("demo", stackDir.resolve("docker-compose.yml"), "opsbot-presses", Map.of());
        runbooks = Files.createDirectories(dir.resolve("runbooks"));
        try (Stream<Path> files = Files.list(RepoRoot.get().resolve("runbooks"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, runbooks.resolve(f.getFileName()));
        }
        unreachable = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"));
    }

    @AfterEach
    void tearDown() {
        unreachable.close();
    }

    @Test
    void aPressLayerWithoutAHandlerForEveryKindOfButtonIsNotBuilt() {
        try (Database db = Database.open(dir.resolve("db/opsbot"))) {
            PendingButtons buttons = new PendingButtons(db, new MutableClock());
            AuditLog audit = new AuditLog(db, Redactor.shapesOnly());
            Presses.Builder builder = Presses.builder(buttons, audit, new PressReplies(new ChatPorts(), audit, buttons))
                    .on(Payload.Invoke.class, press -> { });
            IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
            assertTrue(e.getMessage().contains("Confirm") && e.getMessage().contains("SecretForm"), e.getMessage());
            assertTrue(!e.getMessage().contains("Invoke"), e.getMessage());
        }
    }

    @Test
    void confirmRunsTheTicketAsAskedAndRefusesOneTheRunbookNoLongerFits() throws Exception {
        RecordingChatPort chat = new RecordingChatPort();
        try (TestBot bot = new TestBot(dir, stack, unreachable.host(), chat, runbooks)) {
            bot.type("alice", "restart backend", chat);
            Event ask = chat.awaitPostWithTitle(0, "Confirm: restart backend", QUICK);
            // The runbook's parameter is renamed meanwhile, and the bot reads the edit.
            Path file = runbooks.resolve("restart.yml");
            Files.writeString(file, Files.readString(file).replace("name: service", "name: target").replace("${service}", "${target}"));
            bot.awaitRunbooksReread(QUICK);
            int from = chat.size();
            bot.type("alice", "help restart", chat);
            Event help = chat.awaitWhisper(from, QUICK);
            assertTrue(help.message().plainText().contains("<target>"), help.message().plainText());

            bot.press("alice", chat.message(ask.ref()).buttons().get(0).token(), ask.ref(), chat);
            var answered = chat.awaitState(ask.ref(), m -> !m.title().startsWith("Confirm"), QUICK);
            assertEquals(Tone.FAILURE, answered.tone());
            assertTrue(answered.title().startsWith("Cannot run: restart backend"), answered.plainText());
            assertTrue(answered.text().contains("changed"), answered.plainText());
            assertTrue(chat.events().stream().noneMatch(e -> e.message() != null && e.message().title().startsWith("Running:")),
                    "nothing ran");

            // Asked again under the new runbook, the same press runs exactly what was confirmed.
            from = chat.size();
            bot.type("alice", "restart backend", chat);
            Event again = chat.awaitPostWithTitle(from, "Confirm: restart backend", QUICK);
            bot.press("alice", chat.message(again.ref()).buttons().get(0).token(), again.ref(), chat);
            Event live = chat.awaitPostWithTitle(from, "Running: restart backend", QUICK);
            var done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
            assertTrue(done.title().contains("restart backend"), done.plainText());
            assertTrue(bot.bot.engine().awaitIdle(QUICK), "the confirmed run ended");
        }
    }
}
