package dev.opsbot.core.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Approvals given to a request (a button group), one per approver. */
public final class ApprovalStore {
    private final Database db;

    public ApprovalStore(Database db) {
        this.db = db;
    }

    /** Records an approval; false when this approver had already approved. */
    public boolean add(String groupId, String approver, Instant at) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(db.dialect().insertIfAbsent("approvals", List.of("group_id", "approver"),
                    List.of("group_id", "approver", "at")))) {
                p.setString(1, groupId);
                p.setString(2, approver);
                p.setTimestamp(3, Timestamp.from(at));
                return db.dialect().inserted(p);
            }
        });
    }

    public List<String> approvers(String groupId) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT approver FROM approvals WHERE group_id = ? ORDER BY at")) {
                p.setString(1, groupId);
                try (ResultSet rs = p.executeQuery()) {
                    List<String> out = new ArrayList<>();
                    while (rs.next()) out.add(rs.getString(1));
                    return out;
                }
            }
        });
    }
}
