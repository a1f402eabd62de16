package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RepoRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** opsbot.yml with two environments, driven through the console as a user would, then their audit trails checked. */
class EnvironmentsConsoleTest {

    @Test
    @Timeout(300)
    void commandsGoToTheNamedEnvironmentUnderItsOwnRulesAndEachKeepsItsOwnTrail(@TempDir Path dir) throws Exception {
        DockerEngine docker = DockerSupport.connect();
        try (DemoStack staging = new DemoStack(docker.host(), Files.createDirectories(dir.resolve("staging")));
             DemoStack prod = new DemoStack(docker.host(), Files.createDirectories(dir.resolve("prod")))) {
            staging.upAndMigrate();
            prod.upAndMigrate();
            Path config = dir.resolve("opsbot.yml");
            Files.writeString(config, """
                    data: %s
                    runbooks: %s
                    default-environment: staging
                    environments:
                      staging:
                        stack: {compose-file: %s, project: %s}
                        approval: none
                      prod:
                        stack: {compose-file: %s, project: %s}
                        approval: {approvers: 1, role: approver}
                    """.formatted(dir.resolve("data"), RepoRoot.get().resolve("runbooks"),
                    staging.composeFile(), staging.project().name(), prod.composeFile(), prod.project().name()));
            Map<String, String> env = new HashMap<>(staging.stack().environment());
            env.put("USER", "alice");
            String script = String.join("\n",
                    "/ops envs",
                    "/ops help",
                    "/ops deploy " + DemoStack.NEWER,
                    "1",
                    "/ops deploy " + DemoStack.NEWER + " --env prod",
                    "/ops deploy " + DemoStack.NEWER + " --env qa",
                    "/ops history backend --env staging",
                    "");
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
            int code = new Main(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, out, env)
                    .run(new String[] {"console", "--config", config.toString()});
            String console = captured.toString(StandardCharsets.UTF_8);

            assertEquals(0, code, console);
            assertTrue(console.contains("environments staging, prod"), console);
            assertTrue(console.matches("(?s).*staging\\* \\(default\\) — compose project " + staging.project().name()
                    + ".*4/4 services running, all healthy.*"), console);
            assertTrue(console.contains("/ops envs — the environments"), "help names envs\n" + console);
            assertTrue(console.contains("✅ Succeeded: deploy " + DemoStack.NEWER), "staging: a confirmation was enough\n" + console);
            assertTrue(console.contains("Approval needed: deploy " + DemoStack.NEWER), "prod asks for approval\n" + console);
            assertTrue(console.contains("There is no environment 'qa'. Known environments: staging, prod."), console);
            assertTrue(console.contains(DemoStack.GOOD + " -> " + DemoStack.NEWER), "staging's history\n" + console);
            assertTrue(staging.services().get("backend").image().endsWith(":" + DemoStack.NEWER));
            assertTrue(prod.services().get("backend").image().endsWith(":" + DemoStack.GOOD), "prod waits for its approval");

            captured.reset();
            code = new Main(new ByteArrayInputStream(new byte[0]), out, out, env)
                    .run(new String[] {"audit", "verify", "--config", config.toString()});
            String audit = captured.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, audit);
            assertTrue(audit.contains("staging: audit trail intact"), audit);
            assertTrue(audit.contains("prod: audit trail intact"), audit);
            assertTrue(Files.exists(dir.resolve("data/environments/prod/opsbot.mv.db")), "prod keeps its own database");
        } finally {
            docker.close();
        }
    }
}
