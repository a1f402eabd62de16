package dev.opsbot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Leases in the database: one holder at a time until an expiry set by the database's clock, so the
 * replicas' own clocks never decide who holds one. A fencing number grows each time the holder
 * changes: a holder that sees its number change knows someone else held the lease meanwhile.
 */
public final class LeaseStore {
    private static final List<String> COLUMNS = List.of("name", "holder", "fencing", "expires_at", "since");
    private static final Instant NEVER_HELD = Instant.EPOCH;

    private final Database db;

    public LeaseStore(Database db) {
        this.db = db;
    }

    /** A lease as stored: who holds it, its fencing number, until when and since when that holder has held it (the database's clock). */
    public record Lease(String name, String holder, long fencing, Instant expiresAt, Instant since) { }

    /** The outcome of claiming: whether {@code holder} holds the lease now, and the lease as it is. */
    public record Claim(boolean ours, Lease lease) { }

    /**
     * Takes or renews the lease for {@code ttl} from now by the database's clock, in one atomic update:
     * when it is already {@code holder}'s, or expired, or {@code takeOver} (a database only this process
     * can open, whose leases are all left by processes that are gone). Two replicas claiming at once
     * get one winner; the fencing number grows when the holder changes.
     */
    public Claim claim(String name, String holder, Duration ttl, boolean takeOver) {
        return db.inTransaction(c -> {
            int updated = update(c, name, holder, ttl, takeOver);
            if (updated == 0 && read(c, name).isEmpty()) {
                // The first claim ever: a row nobody holds and that has expired, which the update then takes.
                try (PreparedStatement p = c.prepareStatement(db.dialect().insertIfAbsent("leases", List.of("name"), COLUMNS))) {
                    p.setString(1, name);
                    p.setString(2, "");
                    p.setLong(3, 0);
                    p.setTimestamp(4, Timestamp.from(NEVER_HELD));
                    p.setTimestamp(5, Timestamp.from(NEVER_HELD));
                    db.dialect().inserted(p);
                }
                updated = update(c, name, holder, ttl, takeOver);
            }
            Lease lease = read(c, name).orElseThrow(() -> new SQLException("the lease " + name + " has no row"));
            return new Claim(updated > 0 && lease.holder().equals(holder), lease);
        });
    }

    private int update(Connection c, String name, String holder, Duration ttl, boolean takeOver) throws SQLException {
        // Every right-hand side reads the row as it was, so the fencing number and since see the old holder.
        try (PreparedStatement p = c.prepareStatement("UPDATE leases SET "
                + "fencing = CASE WHEN holder = ? THEN fencing ELSE fencing + 1 END, "
                + "since = CASE WHEN holder = ? THEN since ELSE CURRENT_TIMESTAMP END, "
                + "holder = ?, expires_at = " + db.dialect().nowPlusMillis() + " "
                + "WHERE name = ? AND (holder = ? OR expires_at <= CURRENT_TIMESTAMP OR ?)")) {
            p.setString(1, holder);
            p.setString(2, holder);
            p.setString(3, holder);
            p.setLong(4, ttl.toMillis());
            p.setString(5, name);
            p.setString(6, holder);
            p.setBoolean(7, takeOver);
            p.setQueryTimeout((int) Math.max(1, ttl.toSeconds()));
            return p.executeUpdate();
        }
    }

    /** Lets the lease go at once when {@code holder} holds it, so another replica takes it without waiting for it to expire. */
    public void release(String name, String holder) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE leases SET expires_at = CURRENT_TIMESTAMP WHERE name = ? AND holder = ?")) {
                p.setString(1, name);
                p.setString(2, holder);
                return p.executeUpdate();
            }
        });
    }

    /** The lease as stored, if it was ever claimed. */
    public Optional<Lease> find(String name) {
        return db.withConnection(c -> read(c, name));
    }

    private static Optional<Lease> read(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT * FROM leases WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Lease(rs.getString("name"), rs.getString("holder"), rs.getLong("fencing"),
                        rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("since").toInstant()));
            }
        }
    }
}
