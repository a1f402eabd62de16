package dev.opsbot.core.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Buttons' state, kept in the database so a restart does not orphan a pending confirmation. */
public final class PendingActionStore {
    private final Database db;

    public PendingActionStore(Database db) {
        this.db = db;
    }

    public void save(PendingAction a) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pending_actions (token, group_id, kind, payload, "
                    + "requested_by, channel, message_id, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?)")) {
                p.setString(1, a.token());
                p.setString(2, a.groupId());
                p.setString(3, a.kind());
                p.setString(4, a.payload());
                p.setString(5, a.requestedBy());
                p.setString(6, a.channel());
                p.setString(7, a.messageId());
                p.setTimestamp(8, Timestamp.from(a.createdAt()));
                p.setTimestamp(9, Timestamp.from(a.expiresAt()));
                return p.executeUpdate();
            }
        });
    }

    public void attachMessage(String groupId, String messageId) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE pending_actions SET message_id = ? WHERE group_id = ?")) {
                p.setString(1, messageId);
                p.setString(2, groupId);
                return p.executeUpdate();
            }
        });
    }

    public Optional<PendingAction> find(String token) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM pending_actions WHERE token = ?")) {
                p.setString(1, token);
                return read(p).stream().findFirst();
            }
        });
    }

    public List<PendingAction> group(String groupId) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM pending_actions WHERE group_id = ? ORDER BY created_at, token")) {
                p.setString(1, groupId);
                return read(p);
            }
        });
    }

    /**
     * Decides the whole group the token belongs to, once: true for the one caller that got there
     * first, false when it was already decided (a double press) or has expired.
     */
    public boolean decide(String token, String decidedBy, String decision, Instant now) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE pending_actions SET decided_by = ?, decided_at = ?, "
                    + "decision = ? WHERE group_id = (SELECT group_id FROM pending_actions WHERE token = ?) "
                    + "AND decided_by IS NULL AND expires_at > ?")) {
                p.setString(1, decidedBy);
                p.setTimestamp(2, Timestamp.from(now));
                p.setString(3, decision);
                p.setString(4, token);
                p.setTimestamp(5, Timestamp.from(now));
                return p.executeUpdate() > 0;
            }
        });
    }

    /** Groups past their expiry that nobody decided, one action each, so their messages can be closed. */
    public List<PendingAction> expireDue(Instant now) {
        return db.inTransaction(c -> {
            List<PendingAction> due;
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM pending_actions WHERE decided_by IS NULL "
                    + "AND expires_at <= ? AND token IN (SELECT MIN(token) FROM pending_actions GROUP BY group_id)")) {
                p.setTimestamp(1, Timestamp.from(now));
                due = read(p);
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE pending_actions SET decided_by = 'opsbot', decided_at = ?, "
                    + "decision = 'expired' WHERE decided_by IS NULL AND expires_at <= ?")) {
                p.setTimestamp(1, Timestamp.from(now));
                p.setTimestamp(2, Timestamp.from(now));
                p.executeUpdate();
            }
            return due;
        });
    }

    private static List<PendingAction> read(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            List<PendingAction> out = new ArrayList<>();
            while (rs.next()) {
                Timestamp decidedAt = rs.getTimestamp("decided_at");
                out.add(new PendingAction(rs.getString("token"), rs.getString("group_id"), rs.getString("kind"),
                        rs.getString("payload"), rs.getString("requested_by"), rs.getString("channel"),
                        rs.getString("message_id"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant(), rs.getString("decided_by"),
                        decidedAt == null ? null : decidedAt.toInstant(), rs.getString("decision")));
            }
            return out;
        }
    }
}
