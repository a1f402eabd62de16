package dev.opsbot.core.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Deploy records: what each run changed, so the bot knows the last known-good tag. */
public final class DeployStore {
    private final Database db;

    public DeployStore(Database db) {
        this.db = db;
    }

    public void record(long runId, String stack, String service, String tagBefore, String tagAfter,
                       String requestedBy, String approvedBy, String outcome, boolean healthVerified) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO deploys (run_id, stack, service, tag_before, "
                    + "tag_after, requested_by, approved_by, outcome, health_verified, at) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                p.setLong(1, runId);
                p.setString(2, stack);
                p.setString(3, service);
                p.setString(4, tagBefore);
                p.setString(5, tagAfter);
                p.setString(6, requestedBy);
                p.setString(7, approvedBy);
                p.setString(8, outcome);
                p.setBoolean(9, healthVerified);
                p.setTimestamp(10, Timestamp.from(Instant.now()));
                return p.executeUpdate();
            }
        });
    }

    /**
     * Records how a run's image changes ended: they were written as the run made them (outcome
     * {@code running}); {@code outcome} is the run's (succeeded, failed, cancelled, interrupted).
     */
    public void finish(long runId, String stack, String outcome, boolean healthVerified) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE deploys SET outcome = ?, health_verified = ? WHERE run_id = ? AND stack = ?")) {
                p.setString(1, outcome);
                p.setBoolean(2, healthVerified);
                p.setLong(3, runId);
                p.setString(4, stack);
                return p.executeUpdate();
            }
        });
    }

    public List<DeployRecord> recent(String stack, String service, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM deploys WHERE stack = ? AND (? IS NULL OR service = ?) "
                    + "ORDER BY id DESC LIMIT ?")) {
                p.setString(1, stack);
                p.setString(2, service);
                p.setString(3, service);
                p.setInt(4, limit);
                try (ResultSet rs = p.executeQuery()) {
                    List<DeployRecord> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new DeployRecord(rs.getLong("id"), rs.getLong("run_id"), rs.getString("stack"),
                                rs.getString("service"), rs.getString("tag_before"), rs.getString("tag_after"),
                                rs.getString("requested_by"), rs.getString("approved_by"), rs.getString("outcome"),
                                rs.getBoolean("health_verified"), rs.getTimestamp("at").toInstant()));
                    }
                    return out;
                }
            }
        });
    }

    /**
     * The newest tag of {@code service} that a deploy brought up and verified healthy, other than
     * {@code excluding}; failing that, the tag a failed deploy replaced (it was running before).
     */
    public Optional<String> lastKnownGood(String stack, String service, String excluding) {
        List<DeployRecord> history = recent(stack, service, 200);
        for (DeployRecord d : history) {
            if ("succeeded".equals(d.outcome()) && d.healthVerified() && !d.tagAfter().equals(excluding)) {
                return Optional.of(d.tagAfter());
            }
        }
        return history.stream().map(DeployRecord::tagBefore).filter(t -> !t.equals(excluding)).findFirst();
    }
}
