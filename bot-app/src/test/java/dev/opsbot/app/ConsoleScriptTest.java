package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A scripted console session, as the README shows it: deploy, refuse bad input, roll back. */
class ConsoleScriptTest {

    @Test
    @Timeout(300)
    void aScriptDeploysANewTagRefusesBadInputAndRollsBack(@TempDir Path dir) throws Exception {
        DockerEngine docker = DockerSupport.connect();
        try (DemoStack stack = new DemoStack(docker.host(), dir)) {
            stack.upAndMigrate();
            Map<String, String> env = new HashMap<>(stack.stack().environment());
            env.put("OPSBOT_COMPOSE_FILE", stack.composeFile().toString());
            env.put("OPSBOT_PROJECT", stack.project().name());
            env.put("OPSBOT_DATA", dir.resolve("data").toString());
            env.put("OPSBOT_RUNBOOKS", dev.opsbot.core.testing.RepoRoot.get().resolve("runbooks").toString());
            env.put("OPSBOT_STACK", "demo");
            env.put("USER", "alice");
            String script = String.join("\n",
                    "/ops deploy " + DemoStack.NEWER,
                    "1",
                    "/ops deploy sha-ZZZ",
                    "/ops deploy \"sha-abc1234; rm -rf /\"",
                    "/ops restart backnd",
                    "@bob /ops deploy " + DemoStack.GOOD,
                    "@mallory 1",
                    "@bob 2",
                    "/ops rollback " + DemoStack.GOOD,
                    "1",
                    "1",
                    "/ops history backend",
                    "");
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
            int code = new Main(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, out, env)
                    .run(new String[] {"console", "--config", dir.resolve("none.yml").toString()});
            String console = captured.toString(StandardCharsets.UTF_8);

            assertEquals(0, code, console);
            assertTrue(console.contains("✅ Succeeded: deploy " + DemoStack.NEWER), console);
            assertTrue(console.contains("'sha-ZZZ' is not an image tag"), console);
            assertTrue(console.contains("'sha-abc1234; rm -rf /' is not an image tag"), console);
            assertTrue(console.contains("There is no service 'backnd'. Did you mean backend?"), console);
            assertTrue(console.contains("Only bob can confirm this"), console);
            assertTrue(console.contains("Cancelled: deploy " + DemoStack.GOOD), console);
            assertTrue(console.contains("asks: Downgrade the database"), console);
            assertTrue(console.contains("✅ Succeeded: rollback " + DemoStack.GOOD), console);
            assertTrue(console.contains(DemoStack.GOOD + " -> " + DemoStack.NEWER + "  succeeded, health verified  by alice"), console);

            Map<String, ServiceContainer> running = stack.services();
            assertTrue(running.get("backend").image().endsWith(":" + DemoStack.GOOD), running.toString());
            assertTrue(running.get("worker").image().endsWith(":" + DemoStack.GOOD), running.toString());
            assertEquals("1", stack.revision(), "the rollback downgraded the schema");
        } finally {
            docker.close();
        }
    }
}
