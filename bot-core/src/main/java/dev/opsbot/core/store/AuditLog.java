package dev.opsbot.core.store;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>On a database only this process opens (an H2 file), a row is written to this trail's
 * journal ({@link AuditJournal}) instead, and {@link #append} returns once it is in that file; the
 * rows move into the table as one group when the oldest has waited a second or many are waiting,
 * and whenever the trail is read or closed. A commit per command cost more than the rest of an
 * answered command together, and the journal's one write keeps what the commit kept: a killed
 * process loses no audited row, because the next open moves a journal's rows into the table, in
 * their order, before anything reads it. Until they are moved, rows are not chained yet.
 */
public final class AuditLog {
    /** Rows one transaction writes at most; the rest go into the next one. */
    private static final int MAX_GROUP = 256;
    /** Journaled rows move into the table when this many wait, or when the oldest waited {@link #MOVE_AFTER}. */
    private static final int MOVE_AT = 200;
    private static final Duration MOVE_AFTER = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Database db;
    private final AuditChain chain;
    private final UnaryOperator<String> redactor;
    /** Rows appended and not yet written, in the order of their times. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    /** One transaction of this process at a time; across processes the chain head's row lock queues them. */
    private final ReentrantLock writer = new ReentrantLock();
    /** Where this process's last transaction left the chain's end; null when unknown. Guarded by {@link #writer}. */
    private AuditChain.End known;
    /** Where journals are kept, on a database only this process opens; null when appends commit at once. */
    private final Path journals;
    /** This trail's journal, made at its first append. Guarded by {@link #waiting}. */
    private AuditJournal journal;
    /** The journal still holds rows that are in the table now (it is emptied once nothing waits). Guarded by {@link #writer}. */
    private boolean journalHoldsMoved;
    /** A failed move was told once; told again once one succeeded. */
    private volatile boolean moveFailing;

    /** @param redactor applied to every detail before it is stored (secret values never reach the trail) */
    public AuditLog(Database db, UnaryOperator<String> redactor) {
        this(db, redactor, db.auditJournals());
    }

    private AuditLog(Database db, UnaryOperator<String> redactor, Path journals) {
        this.db = db;
        this.chain = new AuditChain(db);
        this.redactor = redactor;
        this.journals = journals;
    }

    /** A row waiting for its transaction; {@code done} and {@code failure} are set by whichever thread wrote it. */
    private static final class Pending {
        final AuditRow row;
        boolean done;
        RuntimeException failure;

        Pending(AuditRow row) {
            this.row = row;
        }
    }

    /**
     * Appends a row and returns once it is committed, or in this trail's journal. Appends queue
     * behind a lock on the chain's head row in the database, so several processes writing one
     * database (replicas) still make one chain.
     */
    public void append(String actor, String place, String action, String detail, String outcome) {
        // A command is audited as typed, before it is checked: PostgreSQL's text cannot hold a NUL, so it is shown as ␀.
        String safeDetail = RunStore.truncate(redactor.apply(detail == null ? "" : detail)).replace('\u0000', '\u2400');
        String redactedOutcome = redactor.apply(outcome == null ? "" : outcome).replace('\u0000', '\u2400');
        String safeOutcome = redactedOutcome.length() > 1000 ? redactedOutcome.substring(0, 990) + " …" : redactedOutcome;
        if (journals != null) {
            journaled(actor, place, action, safeDetail, safeOutcome);
            return;
        }
        Pending p;
        synchronized (waiting) {
            // Taken in the order rows join the queue, which is the order they take in the chain.
            p = new Pending(new AuditRow(now(), actor, place, action, safeDetail, safeOutcome));
            waiting.add(p);
        }
        writer.lock();
        try {
            while (!p.done) writeWaiting();
        } finally {
            writer.unlock();
        }
        if (p.failure != null) throw new StoreException(p.failure.getMessage(), p.failure);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Writes the row to the journal; moves the rows waiting into the table when they are due. */
    private void journaled(String actor, String place, String action, String detail, String outcome) {
        boolean due;
        synchronized (waiting) {
            AuditRow row = new AuditRow(now(), actor, place, action, detail, outcome);
            if (journal == null) {
                journal = AuditJournal.create(journals);
                // Only a trail that writes has a journal to move at the end (a read-only trail leaves no hook behind).
                db.onClose(this::close);
            }
            journal.write(row);
            waiting.add(new Pending(row));
            due = waiting.size() >= MOVE_AT || !waiting.peek().row.at().plus(MOVE_AFTER).isAfter(row.at());
        }
        if (!due) return;
        try {
            flush();
        } catch (StoreException e) {
            // The row is audited (in the journal): the move is tried again with the next rows, and at the next open.
            if (!moveFailing) LOG.warn("audit rows stay in the journal for now: {}", e.getMessage());
            moveFailing = true;
        }
    }

    /**
     * Moves the rows waiting in this trail's journal into the table and empties the journal;
     * returns at once where appends commit directly.
     */
    public void flush() {
        if (journals == null) return;
        writer.lock();
        try {
            while (true) {
                synchronized (waiting) {
                    if (waiting.isEmpty()) {
                        if (journal != null && journalHoldsMoved) journal.clear();
                        journalHoldsMoved = false;
                        moveFailing = false;
                        return;
                    }
                }
                List<Pending> group = nextGroup();
                try {
                    writeGroup(group.stream().map(p -> p.row).toList());
                    journalHoldsMoved = true;
                } catch (RuntimeException e) {
                    synchronized (waiting) {
                        for (int i = group.size() - 1; i >= 0; i--) waiting.addFirst(group.get(i));
                    }
                    throw e;
                }
            }
        } finally {
            writer.unlock();
        }
    }

    /** Moves what waits into the table and lets the journal go; one with rows left stays for the next open. */
    private void close() {
        try {
            flush();
        } catch (StoreException e) {
            LOG.warn("audit rows stay in the journal until the next start: {}", e.getMessage());
        }
        synchronized (waiting) {
            try {
                if (journal != null) journal.close();
            } catch (StoreException e) {
                // The database still closes; a journal left with rows is moved at the next open.
                LOG.warn("the audit journal could not be closed: {}", e.getMessage());
            } finally {
                journal = null;
            }
        }
    }

    /**
     * Moves into the table the rows of journals a process left when it ended without moving them
     * (it was killed, or its database failed at the end), in the order they were appended. Rows
     * already in the table are not moved again: a process killed after a move's commit and before
     * its journal was emptied or removed leaves them in both.
     */
    static void moveLeftBehind(Database db) {
        Path dir = db.auditJournals();
        if (dir == null) return;
        List<AuditJournal.LeftBehind> left = AuditJournal.leftBehind(dir);
        List<AuditRow> journaled = new ArrayList<>();
        left.forEach(j -> journaled.addAll(j.rows()));
        journaled.sort(Comparator.comparing(AuditRow::at));
        List<AuditRow> rows = notInTable(db, journaled);
        if (journaled.size() > rows.size()) {
            LOG.info("{} audit row(s) of a journal left behind were in the table already", journaled.size() - rows.size());
        }
        if (!rows.isEmpty()) {
            AuditLog direct = new AuditLog(db, UnaryOperator.identity(), null);
            direct.writer.lock();
            try {
                for (int from = 0; from < rows.size(); from += MAX_GROUP) {
                    direct.writeGroup(rows.subList(from, Math.min(rows.size(), from + MAX_GROUP)));
                }
            } finally {
                direct.writer.unlock();
            }
            LOG.info("moved {} audit row(s) that the last process had not moved into the table from its journal", rows.size());
        }
        left.forEach(AuditJournal.LeftBehind::remove);
    }

    /** The rows, in their order, less those the table holds already (each table row accounts for one equal row). */
    private static List<AuditRow> notInTable(Database db, List<AuditRow> rows) {
        if (rows.isEmpty()) return rows;
        Map<AuditRow, Integer> stored = db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT at, actor, place, action, detail, outcome FROM audit WHERE at >= ?")) {
                p.setTimestamp(1, Timestamp.from(rows.get(0).at()));
                try (ResultSet rs = p.executeQuery()) {
                    Map<AuditRow, Integer> found = new HashMap<>();
                    while (rs.next()) {
                        found.merge(new AuditRow(rs.getTimestamp("at").toInstant(), rs.getString("actor"), rs.getString("place"),
                                rs.getString("action"), rs.getString("detail"), rs.getString("outcome")), 1, Integer::sum);
                    }
                    return found;
                }
            }
        });
        List<AuditRow> missing = new ArrayList<>();
        for (AuditRow r : rows) {
            Integer n = stored.get(r);
            if (n == null) missing.add(r);
            else if (n == 1) stored.remove(r);
            else stored.put(r, n - 1);
        }
        return missing;
    }

    private List<Pending> nextGroup() {
        List<Pending> group = new ArrayList<>();
        synchronized (waiting) {
            while (!waiting.isEmpty() && group.size() < MAX_GROUP) group.add(waiting.poll());
        }
        return group;
    }

    /** Writes the rows waiting (ours among them, or before it) in one transaction; holds {@link #writer}. */
    private void writeWaiting() {
        List<Pending> group = nextGroup();
        try {
            writeGroup(group.stream().map(p -> p.row).toList());
        } catch (RuntimeException e) {
            for (Pending p : group) p.failure = e;
        }
        for (Pending p : group) p.done = true;
    }

    /** Writes the rows as the next ones of the chain, in one transaction; holds {@link #writer}. */
    private void writeGroup(List<AuditRow> rows) {
        try {
            try {
                known = chain.write(rows, known);
            } catch (StoreException e) {
                // Rows were appended past the head by a release that does not move it: look for the end.
                if (known == null || !AuditChain.duplicateKey(e)) throw e;
                known = chain.write(rows, null);
            }
        } catch (RuntimeException e) {
            known = null;
            throw e;
        }
    }

    public List<AuditEntry> recent(int limit) {
        flush();
        return read("SELECT * FROM audit ORDER BY id DESC LIMIT " + Math.max(1, limit));
    }

    /** Checks the chain from the first row; returns a description of the first broken row, if any. */
    public Optional<String> verify() {
        flush();
        // The head first: rows appended meanwhile (by another replica) are then read too, never missed.
        long head = db.withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT last_id FROM audit_chain WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
        MessageDigest sha = AuditChain.sha256();
        String prev = AuditChain.GENESIS;
        long expectedId = -1;
        for (AuditEntry e : read("SELECT * FROM audit ORDER BY id")) {
            if (expectedId >= 0 && e.id() != expectedId) {
                return Optional.of("row " + expectedId + " is missing (next row is " + e.id() + ")");
            }
            if (!e.prevHash().equals(prev)) {
                return Optional.of("row " + e.id() + " does not follow the row before it (a row before it was removed or altered)");
            }
            String expected = AuditChain.hash(sha, prev, e.at(), e.actor(), e.place(), e.action(), e.detail(), e.outcome());
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
}
