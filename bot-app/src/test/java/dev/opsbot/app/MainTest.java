package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.RepoRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's commands other than the console: lint, audit verify, run without a platform. */
class MainTest {

    record Result(int code, String out) { }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        int code = new Main(new ByteArrayInputStream(new byte[0]), out, out, env).run(args);
        return new Result(code, captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void lintPassesTheShippedRunbooksAndPointsAtTheLineOfABrokenOne(@TempDir Path dir) throws Exception {
        // The demo stack as an operator would have it: the compose file with its .env beside it.
        Path stack = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stack.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stack.resolve(".env"));
        Map<String, String> env = new HashMap<>(Map.of("OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString(),
                "OPSBOT_COMPOSE_FILE", stack.resolve("docker-compose.yml").toString()));
        Result good = run(env, "lint", "--config", dir.resolve("none.yml").toString());
        assertEquals(0, good.code(), good.out());
        assertTrue(good.out().contains("runbook(s) valid: deploy, health, release, restart, rollback, rotate-secret, secret-leaked"), good.out());

        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("ok.yml"), "name: ok\nsteps:\n  - ps: {}\n");
        Files.writeString(runbooks.resolve("bad.yml"), "name: bad\nsteps:\n  - ps: {}\n  - shell: {command: reboot}\n");
        env.put("OPSBOT_RUNBOOKS", runbooks.toString());
        Result bad = run(env, "lint", "--config", dir.resolve("none.yml").toString());
        assertEquals(1, bad.code(), bad.out());
        assertTrue(bad.out().contains("bad.yml:4: unknown step kind 'shell'"), bad.out());
        assertTrue(bad.out().contains("1 runbook(s) valid: ok"), bad.out());
    }

    @Test
    void auditVerifyFindsATamperedRow(@TempDir Path dir) {
        Map<String, String> env = Map.of("OPSBOT_DATA", dir.toString());
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            for (int i = 0; i < 3; i++) log.append("slack:U1", "slack:C1", "command", "/ops ps", "received");
        }
        Result intact = run(env, "audit", "verify");
        assertEquals(0, intact.code(), intact.out());
        assertTrue(intact.out().contains("audit trail intact: 3 rows"), intact.out());

        try (Database db = Database.open(dir.resolve("opsbot"))) {
            db.withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE audit SET detail = '/ops deploy sha-evil00' WHERE id = 2");
                }
            });
        }
        Result broken = run(env, "audit", "verify");
        assertEquals(1, broken.code(), broken.out());
        assertTrue(broken.out().contains("row 2 was altered"), broken.out());
    }

    @Test
    void runWithoutAnyPlatformRefusesAndPointsAtTheConsole() {
        Result r = run(Map.of(), "run");
        assertEquals(2, r.code());
        assertTrue(r.out().contains("./opsbot console"), r.out());
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageError() {
        assertEquals(2, run(Map.of(), "deploy").code());
        assertEquals(2, run(Map.of(), "console", "--colour").code());
    }
}
