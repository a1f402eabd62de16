package dev.opsbot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One mutating run per stack: the lock row says who runs what since when. */
public final class LockStore {
    private final Database db;

    /** Who holds a stack's lock. */
    public record Lock(String stack, long runId, String holder, String what, Instant since) { }

    public LockStore(Database db) {
        this.db = db;
    }

    /**
     * Takes the stack's lock for a run; returns the lock already held by another run when it is
     * taken. Two runs asking at once (on two replicas) get one answer each: one takes it.
     */
    public Optional<Lock> acquire(String stack, long runId, String holder, String what, Instant now) {
        return db.inTransaction(c -> {
            Optional<Lock> held = read(c.prepareStatement("SELECT * FROM locks WHERE stack = ? FOR UPDATE"), stack);
            if (held.isPresent() && held.get().runId() != runId) return held;
            if (held.isPresent()) {
                transfer(c, stack, runId, runId, holder, what, now);
                return Optional.empty();
            }
            try (PreparedStatement p = c.prepareStatement(db.dialect().insertIfAbsent("locks", List.of("stack"),
                    List.of("stack", "run_id", "holder", "what", "since")))) {
                p.setString(1, stack);
                p.setLong(2, runId);
                p.setString(3, holder);
                p.setString(4, what);
                p.setTimestamp(5, Timestamp.from(now));
                if (db.dialect().inserted(p)) return Optional.empty();
            }
            // Another run took it between the look and the insert.
            return read(c.prepareStatement("SELECT * FROM locks WHERE stack = ?"), stack);
        });
    }

    /** Hands a lock left by an interrupted run to the run that resumes or repairs it. */
    public boolean transfer(String stack, long fromRun, long toRun, String holder, String what, Instant now) {
        return db.withConnection(c -> transfer(c, stack, fromRun, toRun, holder, what, now));
    }

    private static boolean transfer(Connection c, String stack, long fromRun, long toRun, String holder, String what, Instant now)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE locks SET run_id = ?, holder = ?, what = ?, since = ? WHERE stack = ? AND run_id = ?")) {
            p.setLong(1, toRun);
            p.setString(2, holder);
            p.setString(3, what);
            p.setTimestamp(4, Timestamp.from(now));
            p.setString(5, stack);
            p.setLong(6, fromRun);
            return p.executeUpdate() > 0;
        }
    }

    public void release(String stack, long runId) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM locks WHERE stack = ? AND run_id = ?")) {
                p.setString(1, stack);
                p.setLong(2, runId);
                return p.executeUpdate();
            }
        });
    }

    /** Removes the lock whoever holds it; returns what it was. */
    public Optional<Lock> forceRelease(String stack) {
        return db.inTransaction(c -> {
            Optional<Lock> held = read(c.prepareStatement("SELECT * FROM locks WHERE stack = ?"), stack);
            try (PreparedStatement p = c.prepareStatement("DELETE FROM locks WHERE stack = ?")) {
                p.setString(1, stack);
                p.executeUpdate();
            }
            return held;
        });
    }

    public Optional<Lock> held(String stack) {
        return db.withConnection(c -> read(c.prepareStatement("SELECT * FROM locks WHERE stack = ?"), stack));
    }

    private static Optional<Lock> read(PreparedStatement p, String stack) throws SQLException {
        try (p) {
            p.setString(1, stack);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Lock(rs.getString("stack"), rs.getLong("run_id"), rs.getString("holder"),
                        rs.getString("what"), rs.getTimestamp("since").toInstant()));
            }
        }
    }
}
