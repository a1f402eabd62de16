package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.button.ButtonState;
import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.StoreVendor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database an earlier release wrote opens in place with every row kept; a new one gets the
 * whole schema. {@code db/opsbot-0.1.0.mv.db} was written through 0.1.0's own stores (by the
 * ReleaseDatabaseWriter of commit 13dbe99): three audit rows, run #1 with two steps, a deploy
 * record and a pending Invoke button. PostgreSQL, which 0.1.0 did not speak, starts with the
 * same tables as an upgraded H2 file.
 */
class DatabaseUpgradeTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    private static final String PENDING_TOKEN = "tok-0123456789abcdef";
    private static final Instant PENDING_EXPIRES = Instant.parse("2099-01-01T00:00:00Z");

    /** The bot's own tables, without the migration runners' bookkeeping. */
    private static final String SCHEMA = "SELECT table_name, column_name, data_type, is_nullable, column_default "
            + "FROM information_schema.columns WHERE table_schema = 'PUBLIC' "
            + "AND table_name NOT IN ('SCHEMA_VERSION', 'flyway_schema_history') ORDER BY table_name, ordinal_position";

    private static Path release(String name, Path dir) throws IOException {
        Path file = dir.resolve("opsbot.mv.db");
        try (InputStream in = DatabaseUpgradeTest.class.getResourceAsStream("/db/opsbot-" + name + ".mv.db")) {
            Files.copy(in, file);
        }
        return dir.resolve("opsbot");
    }

    @Test
    void theDatabaseOf010KeepsEveryRowAndTakesNewOnes(@TempDir Path dir) throws IOException {
        Path path = release("0.1.0", dir);
        try (Database db = Database.open(path)) {
            AuditLog audit = new AuditLog(db, Redactor.shapesOnly());
            assertEquals(List.of("run", "confirm", "command"), audit.recent(10).stream().map(AuditEntry::action).toList());
            assertEquals(Optional.empty(), audit.verify());

            RunStore runs = new RunStore(db);
            RunRecord run = runs.find(1).orElseThrow();
            assertEquals(RunStatus.SUCCEEDED, run.status());
            assertEquals("backend sha-1a2b3c4 -> sha-5d6e7f8", run.summary());
            assertEquals(Optional.of("up"), runs.stepName(1, 1));

            DeployStore deploys = new DeployStore(db);
            assertEquals(Optional.of("sha-5d6e7f8"), deploys.lastKnownGood("demo", "backend", "none"));

            PendingButtons buttons = new PendingButtons(db, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
            ButtonState pending = buttons.find(PENDING_TOKEN).orElseThrow();
            assertEquals(new Payload.Invoke("rollback sha-1a2b3c4"), pending.payload());
            assertEquals(PENDING_EXPIRES, pending.expiresAt());

            // New writes: the chain goes on from the old rows, run numbers after the old ones, the button can be pressed.
            audit.append("slack:U3", "slack:C1", "command", "/ops ps", "received");
            assertEquals(Optional.empty(), audit.verify());
            assertEquals(4, audit.recent(10).size());
            assertEquals(2, runs.start("health", "/ops health", Map.of(), "slack:U3", "slack:C1", 3));
            deploys.record(2, "demo", "backend", "sha-5d6e7f8", "sha-9a8b7c6", "slack:U3", null, "succeeded", true);
            assertEquals(Optional.of("sha-9a8b7c6"), deploys.lastKnownGood("demo", "backend", "none"));
            assertTrue(buttons.decide(PENDING_TOKEN, UserRef.of("slack", "U1"), Decision.PRESS));
        }
    }

    @Test
    void openingAnUpgradedDatabaseAgainChangesNothing(@TempDir Path dir) throws IOException, SQLException {
        Path path = release("0.1.0", dir);
        try (Database db = Database.open(path)) {
            new AuditLog(db, Redactor.shapesOnly()).append("slack:U3", "slack:C1", "command", "/ops ps", "received");
        }
        String before = script(path);
        try (Database db = Database.open(path)) {
            assertEquals(Optional.empty(), new AuditLog(db, Redactor.shapesOnly()).verify());
        }
        assertEquals(before, script(path));
    }

    @Test
    void aNewDatabaseGetsTheSameSchemaAsAnUpgradedOne(@TempDir Path dir) throws IOException {
        List<String> upgraded;
        try (Database db = Database.open(release("0.1.0", Files.createDirectories(dir.resolve("old"))))) {
            upgraded = rows(db, SCHEMA);
        }
        try (Database db = Database.open(dir.resolve("new/opsbot"))) {
            List<String> fresh = rows(db, SCHEMA);
            assertEquals(upgraded, fresh);
            assertTrue(fresh.stream().map(r -> r.split("\\|")[0]).distinct().toList().containsAll(List.of("ALERTS", "ALERT_MUTES",
                    "ALERT_POSTS", "APPROVALS", "AUDIT", "DEPLOYS", "LOCKS", "PENDING_ACTIONS", "RUNS", "RUN_STEPS")), fresh.toString());

            AuditLog audit = new AuditLog(db, Redactor.shapesOnly());
            audit.append("slack:U1", "slack:C1", "command", "/ops ps", "received");
            assertEquals(Optional.empty(), audit.verify());
            assertEquals(1, new RunStore(db).start("health", "/ops health", Map.of(), "slack:U1", "slack:C1", 3));
        }
    }

    /**
     * The tables and columns as both databases' information schema describe them (names and types
     * in one case; defaults left out, since each database writes an identity's its own way).
     */
    private static final String PORTABLE_SCHEMA = "SELECT UPPER(table_name), UPPER(column_name), UPPER(data_type), "
            + "character_maximum_length, is_nullable, is_identity FROM information_schema.columns WHERE table_schema = CURRENT_SCHEMA "
            + "AND LOWER(table_name) NOT IN ('schema_version', 'flyway_schema_history') ORDER BY UPPER(table_name), ordinal_position";

    /** A new database of either kind has the tables and columns of an upgraded one, and takes the same writes. */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aNewDatabaseOfEitherKindHasTheTablesAndColumnsOfAnUpgradedOne(StoreVendor vendor, @TempDir Path dir) throws IOException {
        List<String> upgraded;
        try (Database db = Database.open(release("0.1.0", Files.createDirectories(dir.resolve("old"))))) {
            upgraded = rows(db, PORTABLE_SCHEMA);
        }
        assertTrue(upgraded.containsAll(List.of("RUNS|ID|BIGINT|null|NO|YES", "AUDIT_CHAIN|LAST_HASH|CHARACTER VARYING|64|NO|NO",
                "PENDING_ACTIONS|EXPIRES_AT|TIMESTAMP WITH TIME ZONE|null|NO|NO")), upgraded.toString());
        try (Database db = vendor.open("fresh", Files.createDirectories(dir.resolve("new")), POSTGRES)) {
            assertEquals(upgraded, rows(db, PORTABLE_SCHEMA));

            AuditLog audit = new AuditLog(db, Redactor.shapesOnly());
            audit.append("slack:U1", "slack:C1", "command", "/ops ps", "received");
            assertEquals(Optional.empty(), audit.verify());
            assertEquals(1, new RunStore(db).start("health", "/ops health", Map.of(), "slack:U1", "slack:C1", 3));
        }
    }

    /** Everything in the file, schema and rows, as H2 writes it out (read without running any migration). */
    private static String script(Path path) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + path, "opsbot", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SCRIPT")) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) out.append(rs.getString(1)).append('\n');
            return out.toString();
        }
    }

    private static List<String> rows(Database db, String sql) {
        return db.withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) cells.add(String.valueOf(rs.getString(i)));
                    out.add(String.join("|", cells));
                }
                return out;
            }
        });
    }
}
