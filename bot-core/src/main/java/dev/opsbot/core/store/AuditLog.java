package dev.opsbot.core.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The audit trail. Rows are only appended, each holding the hash of the row before it, so
 * {@link #verify()} finds the first row that was altered or removed.
 */
public final class AuditLog {
    private static final String GENESIS = "0".repeat(64);

    private final Database db;
    private final UnaryOperator<String> redactor;

    /** @param redactor applied to every detail before it is stored (secret values never reach the trail) */
    public AuditLog(Database db, UnaryOperator<String> redactor) {
        this.db = db;
        this.redactor = redactor;
    }

    public synchronized void append(String actor, String place, String action, String detail, String outcome) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String safeDetail = RunStore.truncate(redactor.apply(detail == null ? "" : detail));
        String redactedOutcome = redactor.apply(outcome == null ? "" : outcome);
        String safeOutcome = redactedOutcome.length() > 1000 ? redactedOutcome.substring(0, 990) + " …" : redactedOutcome;
        db.inTransaction(c -> {
            String prev = GENESIS;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")) {
                if (rs.next()) prev = rs.getString(1);
            }
            String hash = hash(prev, at, actor, place, action, safeDetail, safeOutcome);
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO audit (at, actor, place, action, detail, outcome, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)")) {
                p.setTimestamp(1, Timestamp.from(at));
                p.setString(2, actor);
                p.setString(3, place);
                p.setString(4, action);
                p.setString(5, safeDetail);
                p.setString(6, safeOutcome);
                p.setString(7, prev);
                p.setString(8, hash);
                p.executeUpdate();
            }
            return null;
        });
    }

    public List<AuditEntry> recent(int limit) {
        List<AuditEntry> rows = read("SELECT * FROM audit ORDER BY id DESC LIMIT " + Math.max(1, limit));
        return rows;
    }

    /** Checks the chain from the first row; returns a description of the first broken row, if any. */
    public Optional<String> verify() {
        String prev = GENESIS;
        long expectedId = -1;
        for (AuditEntry e : read("SELECT * FROM audit ORDER BY id")) {
            if (expectedId >= 0 && e.id() != expectedId) {
                return Optional.of("row " + expectedId + " is missing (next row is " + e.id() + ")");
            }
            if (!e.prevHash().equals(prev)) {
                return Optional.of("row " + e.id() + " does not follow the row before it (a row before it was removed or altered)");
            }
            String expected = hash(prev, e.at(), e.actor(), e.place(), e.action(), e.detail(), e.outcome());
            if (!expected.equals(e.hash())) {
                return Optional.of("row " + e.id() + " was altered");
            }
            prev = e.hash();
            expectedId = e.id() + 1;
        }
        return Optional.empty();
    }

    private List<AuditEntry> read(String sql) {
        return db.withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                List<AuditEntry> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                            rs.getString("place"), rs.getString("action"), rs.getString("detail"),
                            rs.getString("outcome"), rs.getString("prev_hash"), rs.getString("hash")));
                }
                return out;
            }
        });
    }

    private static String hash(String prev, Instant at, String... fields) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prev.getBytes(StandardCharsets.UTF_8));
            sha.update(("\u0000" + at.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
            for (String f : fields) sha.update(("\u0000" + f).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
