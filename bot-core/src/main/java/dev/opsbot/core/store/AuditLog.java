package dev.opsbot.core.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * {@link #verify()} finds the first row that was altered or removed; the chain's head row
 * ({@code audit_chain}) names the last row, so rows removed from the end are found too.
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

    /**
     * Appends a row. Appends queue behind a lock on the chain's head row in the database, so
     * several processes writing one database (replicas) still make one chain.
     */
    public synchronized void append(String actor, String place, String action, String detail, String outcome) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // A command is audited as typed, before it is checked: PostgreSQL's text cannot hold a NUL, so it is shown as ␀.
        String safeDetail = RunStore.truncate(redactor.apply(detail == null ? "" : detail)).replace('\u0000', '\u2400');
        String redactedOutcome = redactor.apply(outcome == null ? "" : outcome).replace('\u0000', '\u2400');
        String safeOutcome = redactedOutcome.length() > 1000 ? redactedOutcome.substring(0, 990) + " …" : redactedOutcome;
        db.inTransaction(c -> {
            ChainEnd end = lockEnd(c);
            String hash = hash(end.hash(), at, actor, place, action, safeDetail, safeOutcome);
            long id = end.id() + 1;
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO audit (id, at, actor, place, action, detail, outcome, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)")) {
                p.setLong(1, id);
                p.setTimestamp(2, Timestamp.from(at));
                p.setString(3, actor);
                p.setString(4, place);
                p.setString(5, action);
                p.setString(6, safeDetail);
                p.setString(7, safeOutcome);
                p.setString(8, end.hash());
                p.setString(9, hash);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE audit_chain SET last_id = ?, last_hash = ? WHERE id = 1")) {
                p.setLong(1, id);
                p.setString(2, hash);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The last row of the chain and its hash. */
    private record ChainEnd(long id, String hash) { }

    /**
     * Locks the chain's head for this transaction, so appends of every process queue here, and
     * returns where the chain ends: as the head says, or the last row where rows were appended
     * without moving the head (by a release older than the head, run after an upgrade).
     */
    private static ChainEnd lockEnd(Connection c) throws SQLException {
        ChainEnd head;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_id, last_hash FROM audit_chain WHERE id = 1 FOR UPDATE")) {
            if (!rs.next()) throw new SQLException("the audit chain has no head row (audit_chain)");
            head = new ChainEnd(rs.getLong(1), rs.getString(2));
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")) {
            if (rs.next() && rs.getLong(1) > head.id()) return new ChainEnd(rs.getLong(1), rs.getString(2));
        }
        return head;
    }

    public List<AuditEntry> recent(int limit) {
        List<AuditEntry> rows = read("SELECT * FROM audit ORDER BY id DESC LIMIT " + Math.max(1, limit));
        return rows;
    }

    /** Checks the chain from the first row; returns a description of the first broken row, if any. */
    public Optional<String> verify() {
        // The head first: rows appended meanwhile (by another replica) are then read too, never missed.
        long head = db.withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_id FROM audit_chain WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
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
        long last = expectedId - 1;
        if (head > Math.max(last, 0)) {
            return Optional.of(last <= 0 ? "rows 1 to " + head + " were removed (the trail is empty)"
                    : "rows after " + last + " were removed (the trail ended at row " + head + ")");
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
