package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.button.ButtonState;
import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.testing.Postgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An H2 installation moved into PostgreSQL: every row with its id, the audit chain still verifying, numbers going on after the copied ones. */
class DatabaseCopyTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    /** The database 0.1.0 wrote (see DatabaseUpgradeTest), upgraded, and written to since: runs, an alert, a lock, more audit rows. */
    private static Path h2Installation(Path dir) throws IOException {
        try (InputStream in = DatabaseCopyTest.class.getResourceAsStream("/db/opsbot-0.1.0.mv.db")) {
            Files.copy(in, dir.resolve("opsbot.mv.db"));
        }
        Path path = dir.resolve("opsbot");
        try (Database db = Database.open(path)) {
            AuditLog audit = new AuditLog(db, Redactor.shapesOnly());
            audit.append("slack:U3", "slack:C1", "command", "/ops deploy sha-9a8b7c6", "received");
            RunStore runs = new RunStore(db);
            long run = runs.start("deploy", "/ops deploy sha-9a8b7c6", Map.of("tag", "sha-9a8b7c6"), "slack:U3", "slack:C1", 7);
            runs.stepStarted(run, 1, "pull");
            new LockStore(db).acquire("demo", run, "slack:U3", "deploy sha-9a8b7c6", Instant.parse("2025-12-31T23:59:00Z"));
            new AlertStore(db).insert(new AlertRecord(0, "demo", "backend", "healthcheck", "critical", AlertRecord.State.OPEN, true,
                    Instant.parse("2025-12-31T23:58:00Z"), null, Instant.parse("2025-12-31T23:58:01Z"), null, "unhealthy", 1, null, null,
                    null, null, Instant.parse("2025-12-31T23:58:01Z"), Instant.parse("2025-12-31T23:58:01Z"), null));
            audit.append("slack:U3", "slack:C1", "run", "deploy #" + run, "started");
        }
        return path;
    }

    @Test
    void everyRowArrivesWithItsIdAndTheTrailStillVerifies(@TempDir Path dir) throws IOException {
        Path h2 = h2Installation(dir);
        try (Database from = Database.open(h2); Database to = Database.open(POSTGRES.server(), "opsbot_moved")) {
            DatabaseCopy copy = new DatabaseCopy(from, to);
            assertEquals(Map.of(), copy.targetContents(), "a new schema holds nothing yet");

            Map<String, Long> copied = copy.copy();
            assertEquals(5L, copied.get("audit"));
            assertEquals(2L, copied.get("runs"));
            assertEquals(3L, copied.get("run_steps"));
            assertEquals(1L, copied.get("pending_actions"));
            assertEquals(1L, copied.get("locks"));
            assertEquals(1L, copied.get("alerts"));
            assertEquals(1L, copied.get("audit_chain"));
            assertEquals(copied.entrySet().stream().filter(e -> e.getValue() > 0 && !e.getKey().equals("audit_chain"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), copy.targetContents());

            AuditLog audit = new AuditLog(to, Redactor.shapesOnly());
            assertEquals(Optional.empty(), audit.verify());
            assertEquals(new AuditLog(from, Redactor.shapesOnly()).recent(10), audit.recent(10), "the same rows, ids, times and hashes");
            RunStore runs = new RunStore(to);
            assertEquals(new RunStore(from).find(1), runs.find(1));
            assertEquals(Optional.of("pull"), runs.stepName(2, 1));
            assertEquals(2, new LockStore(to).held("demo").orElseThrow().runId());
            assertEquals(Optional.of("sha-5d6e7f8"), new DeployStore(to).lastKnownGood("demo", "backend", "none"));

            // The moved installation goes on: the next numbers follow the copied ones, the old button can still be pressed.
            assertEquals(3, runs.start("health", "/ops health", Map.of(), "slack:U1", "slack:C1", 1));
            AlertRecord next = new AlertStore(to).insert(new AlertStore(to).find(1).orElseThrow());
            assertEquals(2, next.id());
            audit.append("slack:U1", "slack:C1", "command", "/ops ps", "received");
            assertEquals(Optional.empty(), audit.verify());
            assertEquals(6, audit.recent(10).get(0).id());
            PendingButtons buttons = new PendingButtons(to, CLOCK);
            ButtonState pending = buttons.find("tok-0123456789abcdef").orElseThrow();
            assertEquals(Instant.parse("2099-01-01T00:00:00Z"), pending.expiresAt().truncatedTo(ChronoUnit.SECONDS));
            assertTrue(buttons.decide(pending.token(), UserRef.of("slack", "U1"), Decision.PRESS));
        }
    }

    @Test
    void copyingAgainReplacesWhatTheTargetHeld(@TempDir Path dir) throws IOException {
        Path h2 = h2Installation(dir);
        try (Database from = Database.open(h2); Database to = Database.open(POSTGRES.server(), "opsbot_again")) {
            new DatabaseCopy(from, to).copy();
            new AuditLog(to, Redactor.shapesOnly()).append("slack:U1", "slack:C1", "command", "/ops ps", "received");
            new RunStore(to).start("health", "/ops health", Map.of(), "slack:U1", "slack:C1", 1);

            Map<String, Long> again = new DatabaseCopy(from, to).copy();
            assertEquals(List.of(5L, 2L), List.of(again.get("audit"), again.get("runs")));
            Map<String, Long> held = new DatabaseCopy(from, to).targetContents();
            assertEquals(List.of(5L, 2L), List.of(held.get("audit"), held.get("runs")), "nothing of before the second copy is left");
            assertEquals(Optional.empty(), new AuditLog(to, Redactor.shapesOnly()).verify());
        }
    }
}
