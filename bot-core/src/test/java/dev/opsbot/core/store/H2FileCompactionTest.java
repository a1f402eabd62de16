package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every commit grows an H2 file while the bot runs (each is written at once); a bot killed, or
 * stopped after a long run (H2's own compaction at a clean stop gives up after 200 ms), leaves
 * the file at that size. The next start gives the space back.
 */
class H2FileCompactionTest {
    private static final int COMMITS = 1200;

    @TempDir
    Path dir;

    @Test
    void aFileThatGrewWhileTheBotRanIsSmallAgainAfterTheNextStartWithEverythingInIt() throws Exception {
        Path file = dir.resolve("opsbot.mv.db");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                CommitsThenKilled.class.getName(), dir.resolve("opsbot").toString(), String.valueOf(COMMITS))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child process ended");
        assertEquals(0, child.exitValue(), Files.readString(dir.resolve("child.log")));
        long left = Files.size(file);
        assertTrue(left > H2FileCompaction.WORTH_BYTES, "each commit grew the file: " + left + " bytes");

        try (Database db = Database.open(dir.resolve("opsbot"))) {
            long afterStart = Files.size(file);
            assertTrue(afterStart < 2L << 20, "compacted at the start: " + left + " -> " + afterStart + " bytes");
            db.withConnection(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id) FROM compaction_probe")) {
                    rs.next();
                    assertEquals(COMMITS, rs.getLong(1), "every committed row is there");
                    assertEquals((long) COMMITS * (COMMITS - 1) / 2, rs.getLong(2));
                    return null;
                }
            });
        }
    }
}
