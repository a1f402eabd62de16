package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.secrets.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On an H2 file, audit rows are kept in the trail's journal file until they move into the table. */
class AuditJournalTest {
    @TempDir
    Path dir;

    private Path journals() {
        return dir.resolve("opsbot.audit-journal");
    }

    private String journalText() throws IOException {
        if (!Files.isDirectory(journals())) return "";
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(journals())) {
            for (Path f : files.toList()) text.append(Files.readString(f));
        }
        return text.toString();
    }

    private static long tableRows(Database db) {
        return db.withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM audit")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void aRowIsInTheJournalRedactedWhenAppendReturnsAndInTheTableOnceTheTrailIsRead() throws IOException {
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            AuditLog log = new AuditLog(db, new Redactor(() -> List.of("s3cr3t-value")));
            log.append("slack:U1", "slack:C1", "command", "/ops rotate db s3cr3t-value", "received");
            assertEquals(0, tableRows(db));
            assertTrue(journalText().contains("/ops rotate db [redacted]"), journalText());
            assertFalse(journalText().contains("s3cr3t-value"), "a secret value never reaches the journal");

            assertEquals("/ops rotate db [redacted]", log.recent(1).get(0).detail());
            assertEquals(1, tableRows(db));
            assertEquals("", journalText(), "moved rows leave the journal");
            assertEquals(Optional.empty(), log.verify());
        }
    }

    @Test
    void rowsMoveIntoTheTableByThemselvesOnceTheOldestWaitedASecond() throws Exception {
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            log.append("slack:U1", "slack:C1", "command", "/ops help", "received");
            Thread.sleep(1100);
            log.append("slack:U1", "slack:C1", "command", "/ops ps", "received");
            assertEquals(2, tableRows(db), "the second append moved both");
        }
    }

    @Test
    void closingTheDatabaseMovesTheRowsAndRemovesTheJournal() throws IOException {
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            new AuditLog(db, Redactor.shapesOnly()).append("slack:U1", "slack:C1", "command", "/ops help", "received");
        }
        try (Stream<Path> files = Files.list(journals())) {
            assertEquals(List.of(), files.toList());
        }
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            assertEquals(1, tableRows(db));
        }
    }

    /** A killed bot loses no audited command: the next open moves its journal's rows into the chain, in order. */
    @Test
    void theRowsOfAKilledProcessMoveIntoTheChainAtTheNextOpen() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                AuditJournalCrash.class.getName(), dir.resolve("opsbot").toString(),
                "/ops deploy sha-5d6e7f8", "/ops note a\ttab, a\nline and a \\ backslash", "/ops ps")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child process ended");
        assertEquals(0, child.exitValue(), Files.readString(dir.resolve("child.log")));
        assertTrue(journalText().contains("/ops deploy sha-5d6e7f8"), "the rows the process left are in its journal");

        try (Database db = Database.open(dir.resolve("opsbot"))) {
            assertEquals(5, tableRows(db), "moved before anything read the trail");
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            List<String> details = log.recent(10).stream().map(AuditEntry::detail).toList();
            assertEquals(List.of("/ops ps", "/ops note a\ttab, a\nline and a \\ backslash", "/ops deploy sha-5d6e7f8", "/ops ps",
                    "/ops help"), details);
            assertEquals(Optional.empty(), log.verify());
            log.append("slack:U3", "slack:C1", "command", "/ops history", "received");
            assertEquals(Optional.empty(), log.verify(), "the chain goes on after the moved rows");
        }
        try (Stream<Path> files = Files.list(journals())) {
            assertEquals(List.of(), files.toList(), "the journal it left was removed");
        }
    }

    /** Two pools on one file in one process: opening the second does not take the rows the first one's trail still holds. */
    @Test
    void aJournalAnOpenTrailHoldsIsNotTakenByAnotherOpen() throws IOException {
        try (Database first = Database.open(dir.resolve("opsbot"))) {
            AuditLog log = new AuditLog(first, Redactor.shapesOnly());
            log.append("slack:U1", "slack:C1", "command", "/ops help", "received");
            try (Database second = Database.open(dir.resolve("opsbot"))) {
                assertEquals(0, tableRows(second));
                assertTrue(journalText().contains("/ops help"));
                log.flush();
                assertEquals(1, tableRows(second));
            }
        }
    }
}
