package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.secrets.Redactor;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private static AuditLog filled(Database db) {
        AuditLog log = new AuditLog(db, Redactor.shapesOnly());
        for (int i = 1; i <= 5; i++) log.append("slack:U" + i, "slack:C1", "command", "/ops deploy sha-000000" + i, "received");
        return log;
    }

    @Test
    void anIntactTrailVerifies(@TempDir Path dir) {
        try (Database db = Database.open(dir.resolve("db"))) {
            AuditLog log = filled(db);
            assertEquals(Optional.empty(), log.verify());
            assertEquals(5, log.recent(100).size());
        }
    }

    @Test
    void anAlteredRowIsFound(@TempDir Path dir) {
        try (Database db = Database.open(dir.resolve("db"))) {
            AuditLog log = filled(db);
            db.withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE audit SET actor = 'slack:U9' WHERE id = 3");
                }
            });
            assertEquals(Optional.of("row 3 was altered"), log.verify());
        }
    }

    @Test
    void aRemovedRowIsFound(@TempDir Path dir) {
        try (Database db = Database.open(dir.resolve("db"))) {
            AuditLog log = filled(db);
            db.withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("DELETE FROM audit WHERE id = 2");
                }
            });
            assertTrue(log.verify().orElseThrow().contains("row 2 is missing"), log.verify().toString());
        }
    }

    @Test
    void secretsAreRedactedBeforeTheyAreStoredAndTheDatabaseSurvivesReopening(@TempDir Path dir) {
        try (Database db = Database.open(dir.resolve("db"))) {
            new AuditLog(db, new Redactor(() -> java.util.List.of("s3cr3t-value"))).append("u", "c", "command", "/ops x s3cr3t-value", "ok");
        }
        try (Database db = Database.open(dir.resolve("db"))) {
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            assertEquals("/ops x [redacted]", log.recent(1).get(0).detail());
            assertEquals(Optional.empty(), log.verify());
        }
    }
}
