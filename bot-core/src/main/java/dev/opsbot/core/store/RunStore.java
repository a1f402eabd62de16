package dev.opsbot.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs and their steps. */
public final class RunStore {
    private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() { };
    private static final List<String> STEP_KEY = List.of("run_id", "idx");
    private static final List<String> STEP_COLUMNS = List.of("run_id", "idx", "name", "status", "started_at");
    private final Database db;
    private final ObjectMapper json = new ObjectMapper();

    public RunStore(Database db) {
        this.db = db;
    }

    /** A run from before replicas, or of a store test: no replica owns it. */
    public long start(String runbook, String invocation, Map<String, String> params, String requestedBy, String channel, int stepCount) {
        return start(runbook, invocation, params, requestedBy, channel, stepCount, null);
    }

    /** Records a run that replica {@code owner} runs; its heartbeat starts now, by the database's clock. */
    public long start(String runbook, String invocation, Map<String, String> params, String requestedBy, String channel, int stepCount,
                      String owner) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO runs (runbook, invocation, params, requested_by, channel, status, step_count, started_at, owner, heartbeat_at) "
                            + "VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, CURRENT_TIMESTAMP)", Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, runbook);
                p.setString(2, invocation);
                p.setString(3, write(params));
                p.setString(4, requestedBy);
                p.setString(5, channel);
                p.setInt(6, stepCount);
                p.setTimestamp(7, Timestamp.from(Instant.now()));
                p.setString(8, owner);
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong("id");
                }
            }
        });
    }

    public void liveMessage(long runId, String messageId) {
        update("UPDATE runs SET live_message = ? WHERE id = ?", messageId, runId);
    }

    public void stepStarted(long runId, int index, String name) {
        db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET current_step = ? WHERE id = ?")) {
                p.setInt(1, index);
                p.setLong(2, runId);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(db.dialect().upsert("run_steps", STEP_KEY, STEP_COLUMNS))) {
                p.setLong(1, runId);
                p.setInt(2, index);
                p.setString(3, name);
                p.setString(4, "RUNNING");
                p.setTimestamp(5, Timestamp.from(Instant.now()));
                p.executeUpdate();
            }
            return null;
        });
    }

    public void stepEnded(long runId, int index, String status, String detail) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE run_steps SET status = ?, ended_at = ?, detail = ? WHERE run_id = ? AND idx = ?")) {
                p.setString(1, status);
                p.setTimestamp(2, Timestamp.from(Instant.now()));
                p.setString(3, truncate(detail));
                p.setLong(4, runId);
                p.setInt(5, index);
                return p.executeUpdate();
            }
        });
    }

    public void finish(long runId, RunStatus status, String summary) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE runs SET status = ?, ended_at = ?, summary = ? WHERE id = ? AND status = 'RUNNING'")) {
                p.setString(1, status.name());
                p.setTimestamp(2, Timestamp.from(Instant.now()));
                p.setString(3, truncate(summary));
                p.setLong(4, runId);
                return p.executeUpdate();
            }
        });
    }

    /** What the replica running a run must hear from others: its status now (another may have reported it interrupted), who asked to cancel it. */
    public record Signal(long runId, RunStatus status, String cancelRequestedBy) { }

    /** Replica {@code owner} still runs these runs: their heartbeats are now, by the database's clock. */
    public void heartbeat(String owner, Collection<Long> runIds) {
        if (runIds.isEmpty()) return;
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET heartbeat_at = CURRENT_TIMESTAMP WHERE owner = ? "
                    + "AND status = 'RUNNING' AND id IN (" + marks(runIds.size()) + ")")) {
                p.setString(1, owner);
                bindIds(p, 2, runIds);
                return p.executeUpdate();
            }
        });
    }

    /** Whether each run is still running (another replica may have reported it interrupted) and who asked to cancel it. */
    public List<Signal> signals(Collection<Long> runIds) {
        if (runIds.isEmpty()) return List.of();
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, status, cancel_requested_by FROM runs WHERE id IN ("
                    + marks(runIds.size()) + ")")) {
                bindIds(p, 1, runIds);
                try (ResultSet rs = p.executeQuery()) {
                    List<Signal> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Signal(rs.getLong(1), RunStatus.valueOf(rs.getString(2)), rs.getString(3)));
                    }
                    return out;
                }
            }
        });
    }

    /** Asks whichever replica runs the run to cancel it; false when it is not running. */
    public boolean requestCancel(long runId, String by) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET cancel_requested_by = COALESCE(cancel_requested_by, ?) "
                    + "WHERE id = ? AND status = 'RUNNING'")) {
                p.setString(1, by);
                p.setLong(2, runId);
                return p.executeUpdate() > 0;
            }
        });
    }

    /** Who asked to cancel the run, if anyone did. */
    public Optional<String> cancelRequest(long runId) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT cancel_requested_by FROM runs WHERE id = ?")) {
                p.setLong(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** The run stopped here for a restart and nobody runs it any more: the leader may report it now rather than when its heartbeat is stale. */
    public void letGo(long runId) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET heartbeat_at = NULL WHERE id = ? AND status = 'RUNNING'")) {
                p.setLong(1, runId);
                return p.executeUpdate();
            }
        });
    }

    /**
     * On a database only this process opens: marks interrupted every run left running by an earlier
     * process (any owner but {@code me}) and returns them, each claimed once.
     */
    public List<RunRecord> claimLeftBehind(String me, Set<Long> runningHere) {
        String left = "status = 'RUNNING' AND (owner IS NULL OR owner <> ?)";
        return claim(left, (p, at) -> p.setString(at, me), runningHere, "interrupted by a restart");
    }

    /**
     * On a database replicas share: marks interrupted every run whose heartbeat is older than
     * {@code staleAfter} by the database's clock (its replica is gone, or let it go) and returns them.
     * Each is claimed by one atomic update: however many replicas look, one reports it.
     */
    public List<RunRecord> claimSilent(Duration staleAfter, Set<Long> runningHere) {
        String silent = "status = 'RUNNING' AND (heartbeat_at IS NULL OR heartbeat_at <= " + db.dialect().nowPlusMillis() + ")";
        return claim(silent, (p, at) -> p.setLong(at, -staleAfter.toMillis()), runningHere, "interrupted: its replica stopped");
    }

    /** Binds the one parameter of a claim's condition at index {@code at}. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement p, int at) throws SQLException;
    }

    private List<RunRecord> claim(String condition, Binder binder, Set<Long> runningHere, String summary) {
        List<RunRecord> candidates = db.withConnection(c -> {
            PreparedStatement p = c.prepareStatement("SELECT * FROM runs WHERE " + condition + " ORDER BY id");
            binder.bind(p, 1);
            return query(p);
        });
        List<RunRecord> claimed = new ArrayList<>();
        for (RunRecord r : candidates) {
            if (runningHere.contains(r.id())) continue;
            boolean won = db.withConnection(c -> {
                // The condition again: the run may have heartbeat, finished or been claimed since it was read.
                try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = 'INTERRUPTED', ended_at = ?, summary = ? "
                        + "WHERE id = ? AND " + condition)) {
                    p.setTimestamp(1, Timestamp.from(Instant.now()));
                    p.setString(2, summary);
                    p.setLong(3, r.id());
                    binder.bind(p, 4);
                    return p.executeUpdate() > 0;
                }
            });
            if (won) claimed.add(r);
        }
        return claimed;
    }

    public Optional<RunRecord> find(long runId) {
        return db.withConnection(c -> {
            PreparedStatement p = c.prepareStatement("SELECT * FROM runs WHERE id = ?");
            p.setLong(1, runId);
            return query(p).stream().findFirst();
        });
    }

    public List<RunRecord> recent(int limit) {
        return db.withConnection(c -> {
            PreparedStatement p = c.prepareStatement("SELECT * FROM runs ORDER BY id DESC LIMIT ?");
            p.setInt(1, limit);
            return query(p);
        });
    }

    /** The name of the step a run was in (for reporting an interruption). */
    public Optional<String> stepName(long runId, int index) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT name FROM run_steps WHERE run_id = ? AND idx = ?")) {
                p.setLong(1, runId);
                p.setInt(2, index);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    private List<RunRecord> query(PreparedStatement p) throws SQLException {
        try (p; ResultSet rs = p.executeQuery()) {
            List<RunRecord> out = new ArrayList<>();
            while (rs.next()) {
                Timestamp ended = rs.getTimestamp("ended_at");
                out.add(new RunRecord(rs.getLong("id"), rs.getString("runbook"), rs.getString("invocation"),
                        read(rs.getString("params")), rs.getString("requested_by"), rs.getString("channel"),
                        rs.getString("live_message"), RunStatus.valueOf(rs.getString("status")),
                        rs.getInt("current_step"), rs.getInt("step_count"), rs.getTimestamp("started_at").toInstant(),
                        ended == null ? null : ended.toInstant(), rs.getString("summary"), rs.getString("owner")));
            }
            return out;
        }
    }

    private void update(String sql, String value, long id) {
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, value);
                p.setLong(2, id);
                return p.executeUpdate();
            }
        });
    }

    private String write(Map<String, String> params) {
        try {
            return json.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> read(String params) {
        try {
            return params == null ? Map.of() : json.readValue(params, PARAMS);
        } catch (JsonProcessingException e) {
            throw new StoreException("the parameters of a stored run cannot be read", e);
        }
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static void bindIds(PreparedStatement p, int first, Collection<Long> ids) throws SQLException {
        int i = first;
        for (long id : ids) p.setLong(i++, id);
    }

    static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3990) + " …";
    }
}
