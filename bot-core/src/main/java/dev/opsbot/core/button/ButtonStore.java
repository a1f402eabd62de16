package dev.opsbot.core.button;

import dev.opsbot.core.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Buttons' state, kept in the database so a restart does not orphan a pending confirmation. */
final class ButtonStore {
    private final Database db;
    private final PayloadCodec codec = new PayloadCodec();

    ButtonStore(Database db) {
        this.db = db;
    }

    void save(ButtonState a) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pending_actions (token, group_id, kind, payload, "
                    + "requested_by, channel, message_id, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?)")) {
                p.setString(1, a.token());
                p.setString(2, a.groupId());
                PayloadCodec.Stored stored = codec.encode(a.payload());
                p.setString(3, stored.kind());
                p.setString(4, stored.text());
                p.setString(5, a.requestedBy());
                p.setString(6, a.channel());
                p.setString(7, a.messageId());
                p.setTimestamp(8, Timestamp.from(a.createdAt()));
                p.setTimestamp(9, Timestamp.from(a.expiresAt()));
                return p.executeUpdate();
            }
        });
    }

    void attachMessage(String groupId, String messageId) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE pending_actions SET message_id = ? WHERE group_id = ?")) {
                p.setString(1, messageId);
                p.setString(2, groupId);
                return p.executeUpdate();
            }
        });
    }

    Optional<ButtonState> find(String token) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM pending_actions WHERE token = ?")) {
                p.setString(1, token);
                return read(p).stream().findFirst();
            }
        });
    }

    List<ButtonState> group(String groupId) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM pending_actions WHERE group_id = ? ORDER BY created_at, token")) {
                p.setString(1, groupId);
                return read(p);
            }
        });
    }

    /**
     * Decides the whole group the token belongs to, once: true for the one caller that got there
     * first, false when it was already decided (a double press) or has expired. Presses racing on
     * two connections (two replicas) lock the group's rows in one order, so one decides and the
     * other finds it decided.
     */
    boolean decide(String token, String decidedBy, String decision, Instant now) {
        return db.inTransaction(c -> {
            String groupId;
            try (PreparedStatement p = c.prepareStatement("SELECT group_id FROM pending_actions WHERE token = ?")) {
                p.setString(1, token);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) return false;
                    groupId = rs.getString(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT token FROM pending_actions WHERE group_id = ? ORDER BY token FOR UPDATE")) {
                p.setString(1, groupId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        // the rows are locked as they are read
                    }
                }
            }
            // Which button decided it is kept: a run waiting on another replica reads its answer from it.
            try (PreparedStatement p = c.prepareStatement("UPDATE pending_actions SET decided_by = ?, decided_at = ?, "
                    + "decision = ?, chosen_token = ? WHERE group_id = ? AND decided_by IS NULL AND expires_at > ?")) {
                p.setString(1, decidedBy);
                p.setTimestamp(2, Timestamp.from(now));
                p.setString(3, decision);
                p.setString(4, token);
                p.setString(5, groupId);
                p.setTimestamp(6, Timestamp.from(now));
                return p.executeUpdate() > 0;
            }
        });
    }

    /** The button whose press decided the group; empty while undecided, or when it expired or was closed without a press. */
    Optional<ButtonState> chosen(String groupId) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM pending_actions WHERE group_id = ? AND token = chosen_token")) {
                p.setString(1, groupId);
                return read(p).stream().findFirst();
            }
        });
    }

    /** Keeps the public key a private form's value is sealed to when another replica receives it. */
    void expectSealed(String groupId, String publicKey) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE pending_actions SET public_key = ?, sealed_value = NULL WHERE group_id = ?")) {
                p.setString(1, publicKey);
                p.setString(2, groupId);
                return p.executeUpdate();
            }
        });
    }

    /** The key a form's value is to be sealed to, while the run that asked waits for it. */
    Optional<String> sealingKey(String groupId) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT public_key FROM pending_actions WHERE group_id = ? AND public_key IS NOT NULL")) {
                p.setString(1, groupId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Stores a sealed value for the waiting run; false when none waits (any more) or one was delivered already. */
    boolean deliverSealed(String groupId, String sealed) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE pending_actions SET sealed_value = ? WHERE group_id = ? "
                    + "AND public_key IS NOT NULL AND sealed_value IS NULL")) {
                p.setString(1, sealed);
                p.setString(2, groupId);
                return p.executeUpdate() > 0;
            }
        });
    }

    /** The sealed value once delivered, removed from the row as it is taken (with the key: the form is done). */
    Optional<String> takeSealed(String groupId) {
        return db.inTransaction(c -> {
            String sealed = null;
            try (PreparedStatement p = c.prepareStatement("SELECT sealed_value FROM pending_actions WHERE group_id = ? "
                    + "AND sealed_value IS NOT NULL")) {
                p.setString(1, groupId);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) sealed = rs.getString(1);
                }
            }
            if (sealed != null) clearSealed(c, groupId);
            return Optional.ofNullable(sealed);
        });
    }

    /** The form no longer waits: its key and any value sealed to it are removed. */
    void stopExpecting(String groupId) {
        db.withConnection(c -> clearSealed(c, groupId));
    }

    private static int clearSealed(Connection c, String groupId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE pending_actions SET public_key = NULL, sealed_value = NULL WHERE group_id = ?")) {
            p.setString(1, groupId);
            return p.executeUpdate();
        }
    }

    /** How many messages offer buttons of {@code kind} (as stored) that nobody decided and that have not expired. */
    int undecidedGroups(String kind, Instant now) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(DISTINCT group_id) FROM pending_actions "
                    + "WHERE kind = ? AND decided_by IS NULL AND expires_at > ?")) {
                p.setString(1, kind);
                p.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    /**
     * Groups past their expiry that nobody decided, one action each, so their messages can be
     * closed. The rows are locked first, in the same order as {@link #decide}, so a group another
     * connection expires or decides meanwhile is not returned twice.
     */
    List<ButtonState> expireDue(Instant now) {
        return db.inTransaction(c -> {
            Map<String, ButtonState> firstOfGroup = new LinkedHashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM pending_actions WHERE decided_by IS NULL "
                    + "AND expires_at <= ? ORDER BY token FOR UPDATE")) {
                p.setTimestamp(1, Timestamp.from(now));
                for (ButtonState due : read(p)) firstOfGroup.putIfAbsent(due.groupId(), due);
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE pending_actions SET decided_by = 'opsbot', decided_at = ?, "
                    + "decision = ? WHERE decided_by IS NULL AND expires_at <= ?")) {
                p.setTimestamp(1, Timestamp.from(now));
                p.setString(2, Decision.EXPIRE.word());
                p.setTimestamp(3, Timestamp.from(now));
                p.executeUpdate();
            }
            return List.copyOf(firstOfGroup.values());
        });
    }

    private List<ButtonState> read(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            List<ButtonState> out = new ArrayList<>();
            while (rs.next()) {
                Timestamp decidedAt = rs.getTimestamp("decided_at");
                out.add(new ButtonState(rs.getString("token"), rs.getString("group_id"),
                        codec.decode(rs.getString("kind"), rs.getString("payload")), rs.getString("requested_by"), rs.getString("channel"),
                        rs.getString("message_id"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant(), rs.getString("decided_by"),
                        decidedAt == null ? null : decidedAt.toInstant(), rs.getString("decision")));
            }
            return out;
        }
    }
}
