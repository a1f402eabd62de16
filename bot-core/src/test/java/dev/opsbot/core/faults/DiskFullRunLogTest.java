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
import dev.opsbot.core.testing.TestBot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: the disk that holds the run logs is full. The bot's log folder is a 16 KiB tmpfs this test
 * mounts and fills (skipped where mounting is not permitted). A run still runs to its end; its
 * live message says at once that the log cannot be written and why, a reply says the log is
 * incomplete; the bot keeps answering; once space is freed the next run's log is whole again.
 */
@Timeout(120)
class DiskFullRunLogTest {
    private static final Duration QUICK = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aRunWhoseLogCannotBeWrittenSaysSoAndTheBotKeepsServing() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("bot/logs"));
        mountSmallTmpfs(logs);
        try {
            Path filler = fill(logs);
            RecordingChatPort chat = new RecordingChatPort();
            try (DockerEngine docker = DockerSupport.connect();
                 DemoStack stack = new DemoStack(docker.host(), dir);
                 TestBot bot = new TestBot(dir.resolve("bot"), stack.stack(), docker.host(), chat)) {
                stack.upAndMigrate();
                long typed = System.nanoTime();
                bot.type("alice", "health", chat);
                Event live = chat.awaitPostWithTitle(0, "Running: health", QUICK);
                chat.awaitState(live.ref(), m -> m.plainText().contains("run-1.log cannot be written"), QUICK);
                long toldMillis = (System.nanoTime() - typed) / 1_000_000;
                Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
                String text = done.plainText();
                assertTrue(text.contains("⚠ the run log run-1.log cannot be written (No space left on device): this output"
                        + " is shown here only, not kept"), text);
                assertTrue(text.contains("[6/6] last 50 log lines"), "the run went on to its last step: " + text);
                Event incomplete = chat.awaitPostWithTitle(0, "Run #1's log is incomplete", QUICK);
                assertEquals(Tone.WARNING, incomplete.message().tone());
                assertTrue(incomplete.message().plainText().contains("free space in " + logs.toAbsolutePath()), incomplete.message().plainText());

                // Still full: the bot answers.
                int from = chat.size();
                bot.type("alice", "help", chat);
                chat.await(from, e -> e.message() != null && e.message().title().equals("opsbot commands"), QUICK);

                // Space freed: the next run's log is written whole, without a warning.
                Files.delete(filler);
                from = chat.size();
                bot.type("alice", "health", chat);
                Event second = chat.awaitPostWithTitle(from, "Running: health", QUICK);
                Message secondDone = chat.awaitState(second.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
                assertTrue(!secondDone.plainText().contains("cannot be written"), secondDone.plainText());
                assertTrue(Files.readString(logs.resolve("run-2.log")).contains("[6/6] last 50 log lines"), "run #2's log is whole");
                System.out.println("fault figure: disk full under the run logs, the user told " + toldMillis + " ms after typing the command");
            }
        } finally {
            run("umount", logs.toString());
        }
    }

    private static void mountSmallTmpfs(Path at) throws Exception {
        String out = run("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", at.toString());
        Assumptions.assumeTrue(out == null, "this test mounts a small tmpfs for the run logs and may not here: " + out);
    }

    /** Writes a file until the filesystem has no space left; returns it. */
    private static Path fill(Path folder) throws IOException {
        Path filler = folder.resolve("filler");
        byte[] block = new byte[1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1024; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            return filler;
        }
        throw new IllegalStateException("the tmpfs at " + folder + " did not fill up");
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) return command[0] + " did not finish";
        return p.exitValue() == 0 ? null : command[0] + " exited " + p.exitValue() + ": " + out.strip();
    }
}
