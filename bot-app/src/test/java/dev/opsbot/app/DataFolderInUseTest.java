package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.RepoRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: a second bot process started on a data folder whose H2 file another one holds. It stops at
 * once with exit code 2 and says what is wrong and what to do, not H2's lock error; the first
 * process goes on serving. No Docker engine needed.
 */
@Timeout(120)
class DataFolderInUseTest {

    @Test
    void aSecondProcessOnTheSameDataFolderStopsWithExitCode2AndSaysWhy(@TempDir Path dir) throws Exception {
        Path stack = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stack.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stack.resolve(".env"));
        Map<String, String> env = new HashMap<>();
        env.put("OPSBOT_COMPOSE_FILE", stack.resolve("docker-compose.yml").toString());
        env.put("OPSBOT_PROJECT", "opsbot-test-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("OPSBOT_DATA", dir.resolve("data").toString());
        env.put("OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString());
        env.put("OPSBOT_MANAGEMENT_PORT", "0");

        try (RestartMidRunTest.BotProcess first = new RestartMidRunTest.BotProcess(env)) {
            first.await("End with Ctrl-D", 60);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            long started = System.nanoTime();
            int code = new Main(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), env).run(new String[] {"console", "--config", "none.yml"});
            long millis = (System.nanoTime() - started) / 1_000_000;
            String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, said + out);
            assertTrue(said.startsWith("opsbot: H2 file " + dir.resolve("data/opsbot.mv.db") + " is open in another opsbot process"), said);
            assertTrue(said.contains("give this one a data folder of its own (OPSBOT_DATA"), said);
            assertTrue(!said.contains("[90020") && !said.contains("The file is locked"), "H2's own words stay out: " + said);
            assertTrue(millis < 10_000, "refused in " + millis + " ms");
            System.out.println("fault figure: second process on a held data folder refused in " + millis + " ms");

            first.type("/ops help");
            first.await("opsbot commands", 30);
        }
    }
}
