package dev.opsbot.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    public long start(String runbook, String invocation, Map<String, String> params, String requestedBy, String channel, int stepCount) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO runs (runbook, invocation, params, requested_by, channel, status, step_count, started_at) "
                            + "VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, runbook);
                p.setString(2, invocation);
                p.setString(3, write(params));
                p.setString(4, requestedBy);
                p.setString(5, channel);
                p.setInt(6, stepCount);
                p.setTimestamp(7, Timestamp.from(Instant.now()));
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

    /** Marks every run still RUNNING as INTERRUPTED and returns them: called once at start-up. */
    public List<RunRecord> interruptLeftovers() {
        return db.inTransaction(c -> {
            List<RunRecord> left = query(c.prepareStatement("SELECT * FROM runs WHERE status = 'RUNNING' ORDER BY id"));
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE runs SET status = 'INTERRUPTED', ended_at = ?, summary = 'interrupted by a restart' WHERE status = 'RUNNING'")) {
                p.setTimestamp(1, Timestamp.from(Instant.now()));
                p.executeUpdate();
            }
            return left;
        });
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
                        ended == null ? null : ended.toInstant(), rs.getString("summary")));
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

    static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3990) + " …";
    }
}
