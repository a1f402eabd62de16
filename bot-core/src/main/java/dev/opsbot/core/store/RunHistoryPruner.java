package dev.opsbot.core.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forgets the run history that ended before a moment: finished runs with their steps and deploy
 * records, and buttons decided by then (with their approvals). What is still needed stays, however
 * old: a run still going or holding the stack's lock, and for every service its newest deploys and
 * the two newest releases verified healthy (so "last known good" reads the same before and after).
 * Audit rows are never touched: the trail and its hash chain stay whole.
 */
public final class RunHistoryPruner {
    /** Deploy records of a service kept whatever their age: the newest few, for what is running and what it replaced. */
    static final int NEWEST_DEPLOYS = 3;
    /** Releases verified healthy kept per service: the one in question and the one before it. */
    static final int VERIFIED_RELEASES = 2;
    /** Runs removed per transaction, so a long backlog never holds locks for long. */
    private static final int BATCH = 500;

    private final Database db;

    public RunHistoryPruner(Database db) {
        this.db = db;
    }

    /** What one pass removed. */
    public record Removed(int runs, int steps, int deploys, int buttons) {
        public boolean nothing() {
            return runs + steps + deploys + buttons == 0;
        }
    }

    /** Removes what ended before {@code cutoff} and is no longer needed. */
    public Removed endedBefore(Instant cutoff) {
        Set<Long> kept = db.withConnection(RunHistoryPruner::needed);
        int runs = 0;
        int steps = 0;
        int deploys = 0;
        long after = 0;
        while (true) {
            List<Long> page = endedBefore(cutoff, after);
            if (page.isEmpty()) break;
            after = page.get(page.size() - 1);
            List<Long> gone = page.stream().filter(id -> !kept.contains(id)).toList();
            if (gone.isEmpty()) continue;
            int[] removed = db.inTransaction(c -> new int[] {
                    delete(c, "DELETE FROM run_steps WHERE run_id IN ", gone),
                    delete(c, "DELETE FROM deploys WHERE run_id IN ", gone),
                    // Only finished runs: one a replica took up again since the page was read stays.
                    delete(c, "DELETE FROM runs WHERE ended_at IS NOT NULL AND id IN ", gone)});
            steps += removed[0];
            deploys += removed[1];
            runs += removed[2];
        }
        return new Removed(runs, steps, deploys, decidedButtonsBefore(cutoff));
    }

    private List<Long> endedBefore(Instant cutoff, long after) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM runs WHERE ended_at IS NOT NULL AND ended_at < ? AND id > ? "
                    + "ORDER BY id LIMIT " + BATCH)) {
                p.setTimestamp(1, Timestamp.from(cutoff));
                p.setLong(2, after);
                try (ResultSet rs = p.executeQuery()) {
                    List<Long> ids = new ArrayList<>();
                    while (rs.next()) ids.add(rs.getLong(1));
                    return ids;
                }
            }
        });
    }

    /** Runs kept whatever their age: the lock's, and those whose deploy records say what last worked. */
    private static Set<Long> needed(Connection c) throws SQLException {
        Set<Long> kept = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT run_id FROM locks")) {
            while (rs.next()) kept.add(rs.getLong(1));
        }
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Set<String>> verified = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT run_id, stack, service, tag_after, outcome, health_verified FROM deploys ORDER BY id DESC")) {
            while (rs.next()) {
                String service = rs.getString(2) + "\u0000" + rs.getString(3);
                boolean newest = seen.merge(service, 1, Integer::sum) <= NEWEST_DEPLOYS;
                boolean good = "succeeded".equals(rs.getString(5)) && rs.getBoolean(6);
                Set<String> tags = verified.computeIfAbsent(service, k -> new HashSet<>());
                boolean release = good && tags.size() < VERIFIED_RELEASES && tags.add(rs.getString(4));
                if (newest || release) kept.add(rs.getLong(1));
            }
        }
        return Collections.unmodifiableSet(kept);
    }

    /** Buttons decided (pressed, expired or closed) before {@code cutoff}, and the approvals of groups that are gone. */
    private int decidedButtonsBefore(Instant cutoff) {
        return db.inTransaction(c -> {
            int buttons;
            try (PreparedStatement p = c.prepareStatement("DELETE FROM pending_actions WHERE decided_at IS NOT NULL AND decided_at < ?")) {
                p.setTimestamp(1, Timestamp.from(cutoff));
                buttons = p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "DELETE FROM approvals WHERE at < ? AND group_id NOT IN (SELECT group_id FROM pending_actions)")) {
                p.setTimestamp(1, Timestamp.from(cutoff));
                p.executeUpdate();
            }
            return buttons;
        });
    }

    private static int delete(Connection c, String sql, List<Long> ids) throws SQLException {
        StringBuilder in = new StringBuilder("(");
        for (int i = 0; i < ids.size(); i++) in.append(i == 0 ? "?" : ",?");
        try (PreparedStatement p = c.prepareStatement(sql + in + ")")) {
            for (int i = 0; i < ids.size(); i++) p.setLong(i + 1, ids.get(i));
            return p.executeUpdate();
        }
    }
}
