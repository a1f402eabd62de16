package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.StopAtStep;
import dev.opsbot.core.testing.StopAtStep.Case;
import dev.opsbot.core.testing.StopAtStep.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bot stopped by a signal at a step of a real deploy or rollback: the next bot reports the run
 * interrupted at that step (or, after SIGTERM, at the next one, since a step that ends within the
 * grace period is let finish), and Resume brings the stack to the release the run was for. Three
 * cases here; {@code bench/run --only faults} sweeps every step with both signals.
 */
class StopAtStepTest {
    private static final Pattern REPORTED_STEP = Pattern.compile("during step (\\d+)/");

    static List<Case> cases() {
        return List.of(
                new Case("deploy", 4, Signal.SIGKILL),   // up: containers being recreated
                new Case("deploy", 6, Signal.SIGTERM),   // wait-healthy: let finish within the grace period
                new Case("rollback", 2, Signal.SIGTERM)); // the question: waiting for a person
    }

    /** The last lines a bot printed, for a failure's message. */
    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "(no " + log.getFileName() + ")";
        List<String> lines = Files.readAllLines(log);
        return "--- " + log.getFileName() + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    @Timeout(300)
    void theNextBotReportsTheStepAndResumeEndsOnTheRunsRelease(Case c, @TempDir Path dir) throws Exception {
        try (DockerEngine docker = DockerSupport.connect()) {
            StopAtStep.Outcome o = new StopAtStep(docker.host(), env -> {
                ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                        "dev.opsbot.app.Main", "console", "--as", "alice", "--config", "none.yml");
                pb.environment().putAll(env);
                return pb;
            }).run(c, dir);

            String seen = o + "\n" + tail(dir.resolve("first-bot.log")) + "\n" + tail(dir.resolve("second-bot.log"));
            assertEquals(c.signal() == Signal.SIGKILL ? 137 : 143, o.exitCode(), seen);
            Matcher step = REPORTED_STEP.matcher(o.reported());
            assertTrue(step.find(), "the next bot reported the run: " + seen);
            int reported = Integer.parseInt(step.group(1));
            if (c.signal() == Signal.SIGKILL) {
                assertEquals(c.step(), reported, seen);
            } else {
                assertTrue(reported == c.step() || reported == c.step() + 1, seen);
            }
            assertEquals("succeeded", o.resumed(), seen);
            assertTrue(o.stackCorrect(), seen);
        }
    }
}
