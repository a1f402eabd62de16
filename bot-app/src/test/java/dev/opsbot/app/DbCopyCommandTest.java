package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DatabaseServer;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.testing.Postgres;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving an installation with two environments from its H2 files to PostgreSQL with
 * {@code opsbot db copy}, then checking its audit trails there with {@code opsbot audit verify}.
 */
class DbCopyCommandTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    record Result(int code, String out, String err) {
        String both() {
            return out + err;
        }
    }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** opsbot.yml with staging and production, each with an H2 file holding audit rows and runs. */
    private static Path installation(Path dir) throws Exception {
        Files.writeString(dir.resolve("opsbot.yml"), """
                environments:
                  staging:
                    stack: {compose-file: staging/docker-compose.yml}
                  production-eu:
                    stack: {compose-file: production/docker-compose.yml}
                """);
        for (String env : new String[] {"staging", "production-eu"}) {
            try (Database db = Database.open(dir.resolve("data/environments/" + env + "/opsbot"))) {
                AuditLog log = new AuditLog(db, Redactor.shapesOnly());
                for (int i = 0; i < 3; i++) log.append("slack:U1", "slack:C1", "command", "/ops deploy sha-5d6e7f" + i, "received");
                new RunStore(db).start("deploy", "/ops deploy sha-5d6e7f8", Map.of("tag", "sha-5d6e7f8"), "slack:U1", "slack:C1", 7);
            }
        }
        return dir.resolve("opsbot.yml");
    }

    @Test
    void anInstallationMovesToPostgresqlWithItsTrailsAndIsNotCopiedOverByAccident(@TempDir Path dir) throws Exception {
        Path config = installation(dir);
        DatabaseServer server = POSTGRES.server();
        Map<String, String> env = new HashMap<>(Map.of("OPSBOT_DATA", dir.resolve("data").toString(),
                "OPSBOT_DATABASE_PASSWORD", server.password()));

        Result copied = run(env, "--config", config.toString(), "db", "copy", "--to", server.url(), "--user", server.user());
        assertEquals(0, copied.code(), copied.both());
        assertTrue(copied.out().contains("staging: copied H2 file " + dir.resolve("data/environments/staging/opsbot.mv.db")
                + " into schema opsbot_staging of PostgreSQL " + server.url() + " as opsbot: 5 rows (audit 3, audit_chain 1, runs 1); audit trail intact"), copied.out());
        assertTrue(copied.out().contains("production-eu: copied "), copied.out());
        assertTrue(copied.out().contains("into schema opsbot_production_eu of "), copied.out());
        assertFalse(copied.both().contains(server.password()), "the password is never printed");

        // The bot's own settings from now on: the same URL, user and password in the environment.
        env.put("OPSBOT_DATABASE_URL", server.url());
        env.put("OPSBOT_DATABASE_USER", server.user());
        Result verified = run(env, "--config", config.toString(), "audit", "verify");
        assertEquals(0, verified.code(), verified.both());
        assertEquals("staging: audit trail intact: 3 rows\nproduction-eu: audit trail intact: 3 rows\n", verified.out());

        Result again = run(env, "--config", config.toString(), "db", "copy");
        assertEquals(1, again.code(), again.both());
        assertTrue(again.out().contains("staging: schema opsbot_staging of PostgreSQL " + server.url()
                + " as opsbot already holds data (audit 3, runs 1)"), again.out());
        assertTrue(again.out().contains("Nothing was copied. --replace empties those schemas first"), again.out());

        try (Database staging = Database.open(server, "opsbot_staging")) {
            staging.withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE audit SET detail = '/ops deploy sha-evil00' WHERE id = 2");
                }
            });
        }
        Result broken = run(env, "--config", config.toString(), "audit", "verify");
        assertEquals(1, broken.code(), broken.both());
        assertTrue(broken.out().contains("staging: audit trail broken: row 2 was altered"), broken.out());

        Result replaced = run(env, "--config", config.toString(), "db", "copy", "--replace");
        assertEquals(0, replaced.code(), replaced.both());
        assertEquals(0, run(env, "--config", config.toString(), "audit", "verify").code(), "the H2 file's rows are back");
    }

    @Test
    void withoutATargetOrAnH2FileThereIsNothingToDo(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("OPSBOT_DATA", dir.resolve("data").toString());
        Result nowhere = run(env, "--config", dir.resolve("none.yml").toString(), "db", "copy");
        assertEquals(2, nowhere.code(), nowhere.both());
        assertTrue(nowhere.err().contains("where to: --to jdbc:postgresql://host:port/database"), nowhere.err());

        Result wrong = run(env, "--config", dir.resolve("none.yml").toString(), "db", "copy", "--to", "jdbc:h2:file:/tmp/x");
        assertEquals(2, wrong.code(), wrong.both());
        assertTrue(wrong.err().contains("a database URL is jdbc:postgresql://host:port/database"), wrong.err());

        Result empty = run(env, "--config", dir.resolve("none.yml").toString(), "db", "copy", "--to", POSTGRES.server().url());
        assertEquals(1, empty.code(), empty.both());
        assertTrue(empty.out().contains("no H2 database under " + dir.resolve("data") + ": nothing to copy"), empty.out());
    }
}
