package dev.opsbot.core.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: a runbook file is broken by an edit while the bot runs. The last version that loaded keeps
 * serving (deploy still asks for its confirmation), the person who types it is told privately which
 * file and line is broken, {@code /ops help} lists it, and the fixed file is served at the next
 * command. A file that never loaded is not served at all.
 */
@Timeout(60)
class BrokenRunbookTest {
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aRunbookBrokenWhileTheBotRunsKeepsItsLastGoodVersionAndSaysWhichFileAndLine() throws Exception {
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        try (Stream<Path> files = Files.list(RepoRoot.get().resolve("runbooks"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yml")).toList()) Files.copy(f, runbooks.resolve(f.getFileName()));
        }
        Path deploy = runbooks.resolve("deploy.yml");
        String good = Files.readString(deploy);
        RecordingChatPort chat = new RecordingChatPort();
        try (DockerEngine docker = DockerSupport.connect();
             DemoStack stack = new DemoStack(docker.host(), dir);
             TestBot bot = new TestBot(dir, stack.stack(), docker.host(), chat, runbooks)) {
            bot.type("alice", "deploy " + DemoStack.NEWER, chat);
            chat.awaitPostWithTitle(0, "Confirm: deploy " + DemoStack.NEWER, QUICK);
            assertTrue(chat.events().stream().noneMatch(e -> e.kind().equals("whisper")), chat.describe(0));

            // Someone saves a typo: an unclosed flow mapping in the steps, and a new summary.
            edit(deploy, good.replace("summary: Deploy", "summary: Changed").replace("- prune: {}", "- prune: {"));
            edit(runbooks.resolve("newbook.yml"), "name: newbook\nsteps:\n  - ps: {\n");
            bot.awaitRunbooksReread(QUICK);

            int from = chat.size();
            bot.type("alice", "deploy " + DemoStack.NEWER, chat);
            Event note = chat.awaitWhisper(from, QUICK);
            assertEquals(Tone.WARNING, note.message().tone());
            assertEquals("Runbook file deploy.yml is broken", note.message().title());
            assertTrue(note.message().text().matches("(?s)deploy\\.yml:\\d+: .*not valid YAML.*"), note.message().text());
            assertTrue(note.message().text().contains("This runs its last version that loaded"), note.message().text());
            chat.awaitPostWithTitle(from, "Confirm: deploy " + DemoStack.NEWER, QUICK);

            from = chat.size();
            bot.type("alice", "help", chat);
            Message help = chat.await(from, e -> e.message() != null && e.message().title().equals("opsbot commands"), QUICK).message();
            assertTrue(help.text().contains("Deploy backend and worker"), "the last good summary is listed: " + help.text());
            assertTrue(help.text().matches("(?s).*Broken runbook files.*deploy\\.yml:\\d+: .*"), help.text());
            assertTrue(help.text().matches("(?s).*newbook\\.yml:\\d+: .*"), help.text());

            from = chat.size();
            bot.type("alice", "newbook", chat);
            Event unknown = chat.awaitWhisper(from, QUICK);
            assertTrue(unknown.message().plainText().contains("Unknown command 'newbook'"), unknown.message().plainText());

            // Fixed: the new version is served, without a note.
            edit(deploy, good.replace("summary: Deploy", "summary: Fixed"));
            bot.awaitRunbooksReread(QUICK);
            from = chat.size();
            bot.type("alice", "help", chat);
            help = chat.await(from, e -> e.message() != null && e.message().title().equals("opsbot commands"), QUICK).message();
            assertTrue(help.text().contains("Fixed backend and worker"), help.text());
            assertTrue(!help.text().contains("deploy.yml:"), help.text());
            from = chat.size();
            bot.type("alice", "deploy " + DemoStack.NEWER, chat);
            chat.awaitPostWithTitle(from, "Confirm: deploy " + DemoStack.NEWER, QUICK);
            List<Event> after = chat.events().subList(from, chat.size());
            assertTrue(after.stream().noneMatch(e -> e.kind().equals("whisper")), chat.describe(from));
        }
    }

    /** Writes the file as an editor would, with a modification time the catalog cannot miss. */
    private static void edit(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }
}
