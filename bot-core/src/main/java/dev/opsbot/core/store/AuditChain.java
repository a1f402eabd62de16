package dev.opsbot.core.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The audit table's hash chain as SQL: rows written as the next links, after the head row
 * ({@code audit_chain}) that every writer locks, and the hash that links them.
 */
final class AuditChain {
    static final String GENESIS = "0".repeat(64);

    /** The last row of the chain and its hash. */
    record End(long id, String hash) { }

    private final Database db;
    /** Hashes the rows written; looking a digest up costs as much as hashing a row. Used by one writer at a time. */
    private final MessageDigest sha = sha256();

    AuditChain(Database db) {
        this.db = db;
    }

    /**
     * One transaction: the head moved from where this process last left it ({@code expected}), when
     * it is still there (one update, which takes the head's row lock and checks it in one statement),
     * else from where the chain ends under the head's lock; then the rows. Returns the new end.
     * Rows appended past the head by a release that does not move it make the insert fail with a
     * duplicate key when {@code expected} is given: write again without it.
     */
    End write(List<AuditRow> group, End expected) {
        return db.inTransaction(c -> {
            End start = expected;
            String[] hashes = start == null ? null : chain(start, group);
            if (start == null || !moveHead(c, start, new End(start.id() + group.size(), hashes[group.size() - 1]))) {
                start = lockEnd(c);
                hashes = chain(start, group);
                try (PreparedStatement p = c.prepareStatement("UPDATE audit_chain SET last_id = ?, last_hash = ? WHERE id = 1")) {
                    p.setLong(1, start.id() + group.size());
                    p.setString(2, hashes[group.size() - 1]);
                    p.executeUpdate();
                }
            }
            insert(c, start, group, hashes);
            return new End(start.id() + group.size(), hashes[group.size() - 1]);
        });
    }

    static boolean duplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) return true;
        }
        return false;
    }

    /** The hash of each row of the group, chained from {@code start}. */
    private String[] chain(End start, List<AuditRow> group) {
        String[] hashes = new String[group.size()];
        String prev = start.hash();
        for (int i = 0; i < group.size(); i++) {
            AuditRow r = group.get(i);
            prev = hashes[i] = hash(sha, prev, r.at(), r.actor(), r.place(), r.action(), r.detail(), r.outcome());
        }
        return hashes;
    }

    /** Moves the head from {@code from} to {@code to}, locking its row; false when the head is not at {@code from}. */
    private static boolean moveHead(Connection c, End from, End to) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE audit_chain SET last_id = ?, last_hash = ? WHERE id = 1 AND last_id = ? AND last_hash = ?")) {
            p.setLong(1, to.id());
            p.setString(2, to.hash());
            p.setLong(3, from.id());
            p.setString(4, from.hash());
            return p.executeUpdate() == 1;
        }
    }

    private static void insert(Connection c, End start, List<AuditRow> group, String[] hashes) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO audit (id, at, actor, place, action, detail, outcome, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)")) {
            String prev = start.hash();
            for (int i = 0; i < group.size(); i++) {
                AuditRow r = group.get(i);
                p.setLong(1, start.id() + i + 1);
                p.setTimestamp(2, Timestamp.from(r.at()));
                p.setString(3, r.actor());
                p.setString(4, r.place());
                p.setString(5, r.action());
                p.setString(6, r.detail());
                p.setString(7, r.outcome());
                p.setString(8, prev);
                p.setString(9, hashes[i]);
                if (group.size() == 1) {
                    p.executeUpdate();
                } else {
                    p.addBatch();
                }
                prev = hashes[i];
            }
            if (group.size() > 1) p.executeBatch();
        }
    }

    /**
     * Locks the chain's head for this transaction, so appends of every process queue here, and
     * returns where the chain ends: as the head says, or the last row where rows were appended
     * without moving the head (by a release older than the head, run after an upgrade).
     */
    private static End lockEnd(Connection c) throws SQLException {
        End head;
        try (PreparedStatement p = c.prepareStatement("SELECT last_id, last_hash FROM audit_chain WHERE id = 1 FOR UPDATE");
             ResultSet rs = p.executeQuery()) {
            if (!rs.next()) throw new SQLException("the audit chain has no head row (audit_chain)");
            head = new End(rs.getLong(1), rs.getString(2));
        }
        try (PreparedStatement p = c.prepareStatement("SELECT id, hash FROM audit WHERE id > ? ORDER BY id DESC LIMIT 1")) {
            p.setLong(1, head.id());
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) return new End(rs.getLong(1), rs.getString(2));
            }
        }
        return head;
    }

    /** The row's hash: the previous hash, then the time and each field, each after a NUL byte. */
    static String hash(MessageDigest sha, String prev, Instant at, String... fields) {
        sha.reset();
        sha.update(prev.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Long.toString(at.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
        for (String f : fields) {
            sha.update((byte) 0);
            sha.update(f.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
