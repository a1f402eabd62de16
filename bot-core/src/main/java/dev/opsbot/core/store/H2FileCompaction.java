package dev.opsbot.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the space an embedded H2 file gained while the bot ran, when the bot starts.
 *
 * <p>Every commit is written to the file before it returns ({@code WRITE_DELAY=0}), in new space
 * (a chunk of about 16 KB); H2 uses a chunk's space again only once nothing current is left in it
 * and its retention time (45 s) has passed, and H2 runs no background writer that would copy the
 * current pages out of mostly dead chunks. Measured at 20 commits a second: commits that change
 * rows level the file off after 45 s (at 15 MB); commits that add rows keep growing it by about
 * 2 KB a commit beyond the rows themselves; 3,000 commits in a burst make 50 MB holding 0.7 MB.
 * A bot killed under load, or stopped (H2's own compaction at a clean stop is cut off after
 * 200 ms and on a large file gives nothing back), leaves the file at that size. Done at start,
 * before anything else opens the database, a full compaction has no stop timeout to race and
 * costs in proportion to the data kept (187 MB holding 2 MB: 0.4 s).
 */
final class H2FileCompaction {
    /** Files smaller than this are left as they are: the space is not worth a start's time. */
    static final long WORTH_BYTES = 8L << 20;
    /** Compacted when less than this share of the file's chunks is live data. */
    private static final int SPARSE_PERCENT = 50;
    private static final Logger LOG = LoggerFactory.getLogger(H2FileCompaction.class);

    private final String url;
    private final Path file;

    H2FileCompaction(String url, Path file) {
        this.url = url;
        this.file = file;
    }

    /**
     * Compacts the file when it is large and mostly dead space. Any failure leaves it as it is:
     * the pool's open then reports what is wrong (another process holding it, say).
     */
    void compactIfSparse() {
        long before;
        try {
            if (!Files.exists(file) || (before = Files.size(file)) < WORTH_BYTES) return;
        } catch (IOException e) {
            return;
        }
        long started = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, "opsbot", ""); Statement s = c.createStatement()) {
            int live = liveChunksPercent(s);
            // Another pool of this process on the same file would be shut down with it.
            if (live < 0 || live >= SPARSE_PERCENT || sessions(s) != 1) return;
            s.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            LOG.debug("{} was not compacted: {}", file, e.getMessage());
            return;
        }
        try {
            LOG.info("compacted {} from {} to {} KB in {} ms", file.getFileName(), before >> 10, Files.size(file) >> 10,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            LOG.info("compacted {}", file.getFileName());
        }
    }

    private static long sessions(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private static int liveChunksPercent(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.CHUNKS_FILL_RATE'")) {
            if (!rs.next()) return -1;
            try {
                return Integer.parseInt(rs.getString(1).trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
