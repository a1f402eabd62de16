package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /**
     * A process killed after a move's commit and before its journal was emptied leaves rows that
     * are in the table and in the journal: the next open moves only the ones the table lacks.
     */
    @Test
    void rowsAJournalLeftBehindSharesWithTheTableAreNotMovedTwice() throws IOException {
        String kept;
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            log.append("slack:U1", "slack:C1", "command", "/ops help", "received");
            log.append("slack:U1", "slack:C1", "command", "/ops help", "received");
            log.append("slack:U2", "slack:C1", "command", "/ops ps", "received");
            kept = journalText();
            log.flush();
            assertEquals(3, tableRows(db));
        }
        // The journal as the killed process left it: the three moved rows, and one it wrote after them.
        String later = System.currentTimeMillis() + 5 + "\tslack:U3\tslack:C1\tcommand\t/ops history\treceived\n";
        Files.writeString(journals().resolve("left-behind.journal"), kept + later);

        try (Database db = Database.open(dir.resolve("opsbot"))) {
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            assertEquals(List.of("/ops history", "/ops ps", "/ops help", "/ops help"),
                    log.recent(10).stream().map(AuditEntry::detail).toList(), "each row once, both equal help rows kept");
            assertEquals(Optional.empty(), log.verify());
        }
        assertEquals("", journalText());
    }

    /** A damaged journal stops the start with what to do, and nothing is moved or lost. */
    @Test
    void aJournalWithALineThatIsNotARowStopsTheOpenSayingWhatToDo() throws IOException {
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            new AuditLog(db, Redactor.shapesOnly()).recent(1);
        }
        Path damaged = Files.createDirectories(journals()).resolve("damaged.journal");
        Files.writeString(damaged, System.currentTimeMillis() + "\tslack:U1\tslack:C1\tcommand\t/ops help\treceived\n"
                + "garbage where a row was\n");
        StoreException e = assertThrows(StoreException.class, () -> Database.open(dir.resolve("opsbot")).close());
        assertTrue(e.getMessage().contains("line 2 of the audit journal " + damaged), e.getMessage());
        assertTrue(e.getMessage().contains("Move the file out of " + journals()), e.getMessage());
        assertTrue(Files.exists(damaged), "the journal is kept");

        Files.move(damaged, dir.resolve("damaged.journal"));
        try (Database db = Database.open(dir.resolve("opsbot"))) {
            assertEquals(0, tableRows(db), "nothing was moved from the damaged journal");
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
