package dev.opsbot.core.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Alerts, the messages that show them, and muted services: what the monitor must not forget across a restart. */
public final class AlertStore {
    private final Database db;

    public AlertStore(Database db) {
        this.db = db;
    }

    /** One message showing an alert in one channel, with its buttons ("label\ttoken\tstyle" lines). */
    public record Post(long alertId, String channel, String messageId, String buttons) { }

    /** A service whose new alerts are held back until {@code until}. */
    public record Mute(String stack, String service, Instant until, String mutedBy) { }

    /** Inserts a new alert; returns it with its id. */
    public AlertRecord insert(AlertRecord a) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO alerts (stack, service, check_name, severity, state, failing, "
                    + "since, event_time_nanos, detected_at, posted_at, last_output, occurrences, deploy_note, rollback_tag, acked_by, "
                    + "acked_at, notified_at, changed_at, resolved_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, a.stack());
                p.setString(2, a.service());
                p.setString(3, a.check());
                bind(p, a, 4);
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    return a.withId(keys.getLong("id"));
                }
            }
        });
    }

    public void update(AlertRecord a) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE alerts SET severity = ?, state = ?, failing = ?, since = ?, "
                    + "event_time_nanos = ?, detected_at = ?, posted_at = ?, last_output = ?, occurrences = ?, deploy_note = ?, "
                    + "rollback_tag = ?, acked_by = ?, acked_at = ?, notified_at = ?, changed_at = ?, resolved_at = ? WHERE id = ?")) {
                int next = bind(p, a, 1);
                p.setLong(next, a.id());
                return p.executeUpdate();
            }
        });
    }

    /** Binds the columns from severity on, starting at {@code i}; returns the next index. */
    private static int bind(PreparedStatement p, AlertRecord a, int i) throws SQLException {
        p.setString(i++, a.severity());
        p.setString(i++, a.state().name());
        p.setBoolean(i++, a.failing());
        p.setTimestamp(i++, Timestamp.from(a.since()));
        if (a.eventTimeNanos() == null) p.setNull(i++, Types.BIGINT);
        else p.setLong(i++, a.eventTimeNanos());
        p.setTimestamp(i++, ts(a.detectedAt()));
        p.setTimestamp(i++, ts(a.postedAt()));
        p.setString(i++, clip(a.lastOutput(), 4000));
        p.setInt(i++, a.occurrences());
        p.setString(i++, clip(a.deployNote(), 1000));
        p.setString(i++, a.rollbackTag());
        p.setString(i++, a.ackedBy());
        p.setTimestamp(i++, ts(a.ackedAt()));
        p.setTimestamp(i++, ts(a.notifiedAt()));
        p.setTimestamp(i++, ts(a.changedAt()));
        p.setTimestamp(i++, ts(a.resolvedAt()));
        return i;
    }

    public Optional<AlertRecord> find(long id) {
        return query("SELECT * FROM alerts WHERE id = ?", id).stream().findFirst();
    }

    /** Alerts not resolved yet, oldest first. */
    public List<AlertRecord> open(String stack) {
        return query("SELECT * FROM alerts WHERE stack = ? AND state <> 'RESOLVED' ORDER BY id", stack);
    }

    /** The newest alert of a check, open or not. */
    public Optional<AlertRecord> latest(String stack, String service, String check) {
        return query("SELECT * FROM alerts WHERE stack = ? AND service = ? AND check_name = ? ORDER BY id DESC LIMIT 1",
                stack, service, check).stream().findFirst();
    }

    public List<Post> posts(long alertId) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM alert_posts WHERE alert_id = ? ORDER BY channel")) {
                p.setLong(1, alertId);
                try (ResultSet rs = p.executeQuery()) {
                    List<Post> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Post(rs.getLong("alert_id"), rs.getString("channel"), rs.getString("message_id"), rs.getString("buttons")));
                    }
                    return out;
                }
            }
        });
    }

    public void savePost(Post post) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(db.dialect().upsert("alert_posts", List.of("alert_id", "channel"),
                    List.of("alert_id", "channel", "message_id", "buttons")))) {
                p.setLong(1, post.alertId());
                p.setString(2, post.channel());
                p.setString(3, post.messageId());
                p.setString(4, post.buttons());
                return p.executeUpdate();
            }
        });
    }

    public void mute(Mute mute) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(db.dialect().upsert("alert_mutes", List.of("stack", "service"),
                    List.of("stack", "service", "until", "muted_by")))) {
                p.setString(1, mute.stack());
                p.setString(2, mute.service());
                p.setTimestamp(3, Timestamp.from(mute.until()));
                p.setString(4, mute.mutedBy());
                return p.executeUpdate();
            }
        });
    }

    public void unmute(String stack, String service) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM alert_mutes WHERE stack = ? AND service = ?")) {
                p.setString(1, stack);
                p.setString(2, service);
                return p.executeUpdate();
            }
        });
    }

    /** Mutes still in force at {@code now}. */
    public List<Mute> mutes(String stack, Instant now) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM alert_mutes WHERE stack = ? AND until > ? ORDER BY service")) {
                p.setString(1, stack);
                p.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = p.executeQuery()) {
                    List<Mute> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Mute(rs.getString("stack"), rs.getString("service"), rs.getTimestamp("until").toInstant(), rs.getString("muted_by")));
                    }
                    return out;
                }
            }
        });
    }

    /** An alert acknowledged on a replica that does not watch the stack, until the one that does applies it. */
    public record AckRequest(long alertId, String ackedBy, Instant at) { }

    /** Keeps an acknowledgement for the watching replica; false when one is already waiting for that alert. */
    public boolean requestAcknowledgement(AckRequest request) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(db.dialect().insertIfAbsent("alert_acks", List.of("alert_id"),
                    List.of("alert_id", "acked_by", "at")))) {
                p.setLong(1, request.alertId());
                p.setString(2, request.ackedBy());
                p.setTimestamp(3, Timestamp.from(request.at()));
                return db.dialect().inserted(p);
            }
        });
    }

    /** Acknowledgements waiting to be applied, oldest first. */
    public List<AckRequest> acknowledgementsRequested() {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM alert_acks ORDER BY at, alert_id");
                 ResultSet rs = p.executeQuery()) {
                List<AckRequest> out = new ArrayList<>();
                while (rs.next()) out.add(new AckRequest(rs.getLong("alert_id"), rs.getString("acked_by"), rs.getTimestamp("at").toInstant()));
                return out;
            }
        });
    }

    /** The acknowledgement was applied (or its alert is gone): it waits no longer. */
    public void acknowledgementApplied(long alertId) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM alert_acks WHERE alert_id = ?")) {
                p.setLong(1, alertId);
                return p.executeUpdate();
            }
        });
    }

    private List<AlertRecord> query(String sql, Object... args) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
                try (ResultSet rs = p.executeQuery()) {
                    List<AlertRecord> out = new ArrayList<>();
                    while (rs.next()) out.add(read(rs));
                    return out;
                }
            }
        });
    }

    private static AlertRecord read(ResultSet rs) throws SQLException {
        long nanos = rs.getLong("event_time_nanos");
        Long eventNanos = rs.wasNull() ? null : nanos;
        return new AlertRecord(rs.getLong("id"), rs.getString("stack"), rs.getString("service"), rs.getString("check_name"),
                rs.getString("severity"), AlertRecord.State.valueOf(rs.getString("state")), rs.getBoolean("failing"),
                instant(rs, "since"), eventNanos, instant(rs, "detected_at"), instant(rs, "posted_at"), rs.getString("last_output"),
                rs.getInt("occurrences"), rs.getString("deploy_note"), rs.getString("rollback_tag"), rs.getString("acked_by"),
                instant(rs, "acked_at"), instant(rs, "notified_at"), instant(rs, "changed_at"), instant(rs, "resolved_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
