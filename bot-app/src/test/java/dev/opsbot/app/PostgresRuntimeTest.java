package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.app.management.Readiness;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DatabaseServer;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.RepoRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot configured for PostgreSQL through the environment, as a replica would be: its state in
 * the database's {@code opsbot} schema (no H2 file), the database part of readiness answered, and
 * the password in no line of its log, whatever logs it (libraries at TRACE too).
 */
class PostgresRuntimeTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private final PrintStream originalErr = System.err;

    @AfterEach
    void restore() throws Exception {
        System.setErr(originalErr);
        LogRedactionTest.configure(null);
    }

    @Test
    void aBotOnPostgresqlKeepsItsStateThereAndItsPasswordOutOfTheLog(@TempDir Path dir) throws Exception {
        DatabaseServer server = POSTGRES.server();
        Path stack = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stack.resolve("docker-compose.yml"));
        Map<String, String> env = Map.of(
                "DOCKER_HOST", "unix:///var/run/docker.sock",
                "OPSBOT_COMPOSE_FILE", stack.resolve("docker-compose.yml").toString(),
                "OPSBOT_PROJECT", "opsbot-postgres-test",
                "OPSBOT_STACK", "demo",
                "OPSBOT_DATA", dir.resolve("data").toString(),
                "OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString(),
                "OPSBOT_DATABASE_URL", server.url(),
                "OPSBOT_DATABASE_USER", server.user(),
                "OPSBOT_DATABASE_PASSWORD", server.password());

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogRedactionTest.configure("plain");
        Logger log = LoggerFactory.getLogger("dev.opsbot.test");
        try (BotRuntime rt = new BotRuntime(AppConfig.load(dir, dir.resolve("none.yml"), env), env, dir);
             Readiness readiness = ManagementListener.readiness(rt, List.of(), new Readiness())) {
            Database db = rt.databases.get("demo");
            assertEquals("schema opsbot of PostgreSQL " + server.url() + " as opsbot", db.toString());
            assertEquals("ok", readiness.report().parts().get("database:demo"));
            log.error("connecting with {}", server.password(), new IllegalStateException("refused " + server.password()));
        }
        System.err.flush();
        String out = captured.toString(StandardCharsets.UTF_8);

        assertTrue(out.contains("connecting with [redacted]"), out);
        assertTrue(out.contains("java.lang.IllegalStateException: refused [redacted]"), out);
        assertFalse(out.contains(server.password()), out);
        assertFalse(Files.exists(dir.resolve("data/opsbot.mv.db")), "no H2 file beside PostgreSQL");
    }
}
