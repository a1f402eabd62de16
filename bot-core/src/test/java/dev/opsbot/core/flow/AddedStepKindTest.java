package dev.opsbot.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.runbook.RunbookException;
import dev.opsbot.core.runbook.RunbookLoader;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A step kind added outside the core ({@link EchoStep}: one class and its line in the test
 * sources' META-INF/services) is used by a runbook like the core's own, through the real bot,
 * engine and relay. It needs no Docker, so the engine behind it is unreachable.
 */
@Timeout(60)
class AddedStepKindTest {
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aRunbookUsingAnAddedStepKindRunsAndItsOutputReachesTheChannelAndTheLog() throws Exception {
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("greet.yml"), """
                name: greet
                summary: Says hello through a step kind the core does not ship.
                params:
                  - name: who
                    kind: pattern
                    pattern: '[a-z]+'
                steps:
                  - echo: {text: "hello ${who}"}
                """);
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stackDir.resolve(".env"));
        Stack stack = new Stack("demo", stackDir.resolve("docker-compose.yml"), "opsbot-echo", Map.of());
        RecordingChatPort chat = new RecordingChatPort();
        try (DockerEngine unreachable = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"));
             TestBot bot = new TestBot(dir, stack, unreachable.host(), chat, runbooks)) {
            bot.type("alice", "help", chat);
            chat.await(0, e -> e.message() != null && e.message().plainText().contains("/ops greet"), QUICK);

            int from = chat.size();
            bot.type("alice", "greet world", chat);
            Event live = chat.awaitPostWithTitle(from, "Running: greet", QUICK);
            Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
            assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
            assertTrue(done.plainText().contains("hello world"), done.plainText());

            Event log = chat.await(from, e -> e.kind().equals("attach"), QUICK);
            assertTrue(log.attachment().contains("▶ [1/1] echo hello world"), log.attachment());
            assertTrue(log.attachment().contains("\nhello world"), log.attachment());
        }
    }

    @ParameterizedTest(name = "[{index}] line {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // the added kind's field description is enforced like the core's
            "'name: x\nsteps:\n  - echo: {}\n'                          | 3 | 'text' is required",
            "'name: x\nsteps:\n  - echo: {text: hi, colour: red}\n'     | 3 | unknown key 'colour' (allowed: text)",
            "'name: x\nsteps:\n  - echo: {text: \"${nope}\"}\n'          | 3 | ${nope} is not a declared parameter",
            // and it is among the known kinds a typo is told about
            "'name: x\nsteps:\n  - ecco: {text: hi}\n'                  | 3 | known: choice, echo, exec,",
    })
    void anAddedKindsFieldsAreCheckedWithFileAndLine(String yaml, int line, String problem) throws Exception {
        Path file = dir.resolve("broken.yml");
        Files.writeString(file, yaml.replace("\\n", "\n"));
        RunbookException e = assertThrows(RunbookException.class, () -> new RunbookLoader().load(file));
        assertTrue(e.getMessage().startsWith("broken.yml:" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }
}
