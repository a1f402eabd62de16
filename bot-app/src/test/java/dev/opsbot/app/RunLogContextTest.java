package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.Bot;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run logs, through the shipped logback.xml, names the run, its environment (the
 * configured name, not the stack's) and who asked: the lines of the run's own thread and of its
 * steps' threads alike. No engine needed: the runbook only echoes.
 */
class RunLogContextTest {
    private final PrintStream originalErr = System.err;

    @AfterEach
    void restore() throws Exception {
        System.setErr(originalErr);
        LogRedactionTest.configure(null);
    }

    @Test
    @Timeout(60)
    void aRunsLinesCarryItsRunIdItsEnvironmentAndItsRequester(@TempDir Path dir) throws Exception {
        Path stack = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stack.resolve("docker-compose.yml"));
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("hello.yml"), """
                name: hello
                summary: says hello twice
                steps:
                  - echo: {text: hello}
                  - echo: {text: again}
                """);
        Path config = Files.writeString(dir.resolve("opsbot.yml"), """
                data: %s
                environments:
                  staging:
                    docker: {host: "unix://%s"}
                    stack: {name: shop, compose-file: %s, project: opsbot-log-context}
                    runbooks: %s
                    approval: none
                """.formatted(dir.resolve("data"), dir.resolve("no-docker.sock"), stack.resolve("docker-compose.yml"), runbooks));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogRedactionTest.configure("plain");
        RecordingChatPort chat = new RecordingChatPort();
        try (BotRuntime rt = new BotRuntime(AppConfig.load(dir, config, Map.of()), Map.of(), dir)) {
            rt.register(chat);
            rt.environments.start();
            rt.environments.onCommand(TestBot.as("alice", chat), "hello");
            assertTrue(rt.environments.awaitRouted(Duration.ofSeconds(10)));
            Bot bot = rt.bots().get(0);
            chat.awaitPostWithTitle(0, "Running: hello", Duration.ofSeconds(20));
            assertTrue(bot.awaitIdle(Duration.ofSeconds(20)), "the run ended");
        }
        System.err.flush();
        List<String> runLines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("core.engine.")).toList();

        List<String> expected = List.of("run started: hello", "step 1/2: echo hello", "step 2/2: echo again", "run succeeded after");
        for (String event : expected) {
            List<String> lines = runLines.stream().filter(l -> l.contains(event)).toList();
            assertEquals(1, lines.size(), "one line for '" + event + "':\n" + String.join("\n", runLines));
            assertTrue(lines.get(0).contains(" run=1 env=staging user=test:alice "), lines.get(0));
        }
        assertTrue(runLines.stream().anyMatch(l -> l.contains("[opsbot-step-")), "the steps' own threads: " + runLines);
        assertTrue(runLines.stream().anyMatch(l -> l.contains("[opsbot-run-")), "the run's thread: " + runLines);
    }
}
