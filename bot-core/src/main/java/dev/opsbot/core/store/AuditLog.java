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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The audit trail. Rows are only appended, each holding the hash of the row before it, so
 * {@link #verify()} finds the first row that was altered or removed; the chain's head row
 * ({@code audit_chain}) names the last row, so rows removed from the end are found too.
 *
 * <p>Appends commit in groups: a row waits while another thread's transaction is being written,
 * then one transaction writes every row that waited (the next rows of the chain, in the order
 * they were appended), and each {@link #append} returns only once its own row is committed.
 * So a command is still audited before it is answered, and under load the chain head's lock,
 * its update and the commit are paid once per group rather than once per row. The head is moved
 * from where this process left it with one conditional update, which also takes its row lock;
 * only when another writer moved it meanwhile is the chain's end read under the lock first.
 */
public final class AuditLog {
    private static final String GENESIS = "0".repeat(64);
    /** Rows one transaction writes at most; the rest go into the next one. */
    private static final int MAX_GROUP = 256;

    private final Database db;
    private final UnaryOperator<String> redactor;
    /** Rows appended and not yet written, in the order of their times. */
    private final ArrayDeque<Row> waiting = new ArrayDeque<>();
    /** One transaction of this process at a time; across processes the chain head's row lock queues them. */
    private final ReentrantLock writer = new ReentrantLock();
    /** Where this process's last transaction left the chain's end; null when unknown. Guarded by {@link #writer}. */
    private ChainEnd known;
    /** Hashes the rows written; looking a digest up costs as much as hashing a row. Guarded by {@link #writer}. */
    private final MessageDigest sha = sha256();

    /** @param redactor applied to every detail before it is stored (secret values never reach the trail) */
    public AuditLog(Database db, UnaryOperator<String> redactor) {
        this.db = db;
        this.redactor = redactor;
    }

    /** A row on its way into the trail; {@code done} and {@code failure} are set by whichever thread wrote it. */
    private static final class Row {
        final String actor;
        final String place;
        final String action;
        final String detail;
        final String outcome;
        Instant at;
        boolean done;
        RuntimeException failure;

        Row(String actor, String place, String action, String detail, String outcome) {
            this.actor = actor;
            this.place = place;
            this.action = action;
            this.detail = detail;
            this.outcome = outcome;
        }
    }

    /**
     * Appends a row and returns once it is committed. Appends queue behind a lock on the chain's
     * head row in the database, so several processes writing one database (replicas) still make
     * one chain.
     */
    public void append(String actor, String place, String action, String detail, String outcome) {
        // A command is audited as typed, before it is checked: PostgreSQL's text cannot hold a NUL, so it is shown as ␀.
        String safeDetail = RunStore.truncate(redactor.apply(detail == null ? "" : detail)).replace('\u0000', '\u2400');
        String redactedOutcome = redactor.apply(outcome == null ? "" : outcome).replace('\u0000', '\u2400');
        String safeOutcome = redactedOutcome.length() > 1000 ? redactedOutcome.substring(0, 990) + " …" : redactedOutcome;
        Row row = new Row(actor, place, action, safeDetail, safeOutcome);
        synchronized (waiting) {
            // Taken in the order rows join the queue, which is the order they take in the chain.
            row.at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            waiting.add(row);
        }
        writer.lock();
        try {
            while (!row.done) writeWaiting();
        } finally {
            writer.unlock();
        }
        if (row.failure != null) throw new StoreException(row.failure.getMessage(), row.failure);
    }

    /** Writes the rows waiting (ours among them, or before it) in one transaction; holds {@link #writer}. */
    private void writeWaiting() {
        List<Row> group = new ArrayList<>();
        synchronized (waiting) {
            while (!waiting.isEmpty() && group.size() < MAX_GROUP) group.add(waiting.poll());
        }
        try {
            try {
                known = write(group, known);
            } catch (StoreException e) {
                // Rows were appended past the head by a release that does not move it: look for the end.
                if (known == null || !duplicateKey(e)) throw e;
                known = write(group, null);
            }
        } catch (RuntimeException e) {
            known = null;
            for (Row r : group) r.failure = e;
        }
        for (Row r : group) r.done = true;
    }

    /**
     * One transaction: the head moved from where this process last left it, when it is still there
     * (one update, which takes the head's row lock and checks it in one statement), else from where
     * the chain ends under the head's lock; then the rows. Returns the new end.
     */
    private ChainEnd write(List<Row> group, ChainEnd expected) {
        return db.inTransaction(c -> {
            ChainEnd start = expected;
            String[] hashes = start == null ? null : chain(sha, start, group);
            if (start == null || !moveHead(c, start, new ChainEnd(start.id() + group.size(), hashes[group.size() - 1]))) {
                start = lockEnd(c);
                hashes = chain(sha, start, group);
                try (PreparedStatement p = c.prepareStatement("UPDATE audit_chain SET last_id = ?, last_hash = ? WHERE id = 1")) {
                    p.setLong(1, start.id() + group.size());
                    p.setString(2, hashes[group.size() - 1]);
                    p.executeUpdate();
                }
            }
            insert(c, start, group, hashes);
            return new ChainEnd(start.id() + group.size(), hashes[group.size() - 1]);
        });
    }

    /** The hash of each row of the group, chained from {@code start}. */
    private static String[] chain(MessageDigest sha, ChainEnd start, List<Row> group) {
        String[] hashes = new String[group.size()];
        String prev = start.hash();
        for (int i = 0; i < group.size(); i++) {
            Row r = group.get(i);
            prev = hashes[i] = hash(sha, prev, r.at, r.actor, r.place, r.action, r.detail, r.outcome);
        }
        return hashes;
    }

    /** Moves the head from {@code from} to {@code to}, locking its row; false when the head is not at {@code from}. */
    private static boolean moveHead(Connection c, ChainEnd from, ChainEnd to) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE audit_chain SET last_id = ?, last_hash = ? WHERE id = 1 AND last_id = ? AND last_hash = ?")) {
            p.setLong(1, to.id());
            p.setString(2, to.hash());
            p.setLong(3, from.id());
            p.setString(4, from.hash());
            return p.executeUpdate() == 1;
        }
    }

    private static void insert(Connection c, ChainEnd start, List<Row> group, String[] hashes) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO audit (id, at, actor, place, action, detail, outcome, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)")) {
            String prev = start.hash();
            for (int i = 0; i < group.size(); i++) {
                Row r = group.get(i);
                p.setLong(1, start.id() + i + 1);
                p.setTimestamp(2, Timestamp.from(r.at));
                p.setString(3, r.actor);
                p.setString(4, r.place);
                p.setString(5, r.action);
                p.setString(6, r.detail);
                p.setString(7, r.outcome);
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

    private static boolean duplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) return true;
        }
        return false;
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
        try (PreparedStatement p = c.prepareStatement("SELECT last_id, last_hash FROM audit_chain WHERE id = 1 FOR UPDATE");
             ResultSet rs = p.executeQuery()) {
            if (!rs.next()) throw new SQLException("the audit chain has no head row (audit_chain)");
            head = new ChainEnd(rs.getLong(1), rs.getString(2));
        }
        try (PreparedStatement p = c.prepareStatement("SELECT id, hash FROM audit WHERE id > ? ORDER BY id DESC LIMIT 1")) {
            p.setLong(1, head.id());
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) return new ChainEnd(rs.getLong(1), rs.getString(2));
            }
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
        MessageDigest sha = sha256();
        String prev = GENESIS;
        long expectedId = -1;
        for (AuditEntry e : read("SELECT * FROM audit ORDER BY id")) {
            if (expectedId >= 0 && e.id() != expectedId) {
                return Optional.of("row " + expectedId + " is missing (next row is " + e.id() + ")");
            }
            if (!e.prevHash().equals(prev)) {
                return Optional.of("row " + e.id() + " does not follow the row before it (a row before it was removed or altered)");
            }
            String expected = hash(sha, prev, e.at(), e.actor(), e.place(), e.action(), e.detail(), e.outcome());
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

    /** The row's hash: the previous hash, then the time and each field, each after a NUL byte. */
    private static String hash(MessageDigest sha, String prev, Instant at, String... fields) {
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
