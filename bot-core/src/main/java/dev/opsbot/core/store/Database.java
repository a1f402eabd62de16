package dev.opsbot.core.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Pattern;

/**
 * One environment's database: an embedded H2 file, or a schema of its own in a PostgreSQL
 * database that several replicas share. Its schema is brought up to date by Flyway at open
 * ({@link SchemaMigrations}); access is scoped through {@link #withConnection} and
 * {@link #inTransaction} so no connection leaks. Both sit behind one connection pool.
 */
public final class Database implements AutoCloseable {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** PostgreSQL's answers to two transactions in each other's way: one of them may simply try again. */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");
    private static final int ATTEMPTS = 3;

    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String where;
    /** The embedded database to shut down at close; null for PostgreSQL. */
    private final String h2Url;
    /** Where the audit trails of an embedded database keep their journals; null for PostgreSQL. */
    private final Path auditJournals;
    /** Run first when the database closes, latest first: the trails move what their journals hold. */
    private final Deque<Runnable> closing = new ConcurrentLinkedDeque<>();

    private Database(HikariConfig config, Dialect dialect, String where, String h2Url, Path auditJournals) {
        this.dialect = dialect;
        this.where = where;
        this.h2Url = h2Url;
        this.auditJournals = auditJournals;
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.setMinimumIdle(1);
        try {
            this.pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (h2Url != null && lockedByAnotherProcess(e)) throw new DatabaseInUseException(where, e);
            throw new StoreException("cannot open the database (" + where + "): " + rootMessage(e), e);
        }
    }

    private static boolean lockedByAnotherProcess(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == DatabaseInUseException.H2_ALREADY_OPEN) return true;
        }
        return false;
    }

    /** Opens (creating if needed) the database file at {@code path} (without the .mv.db suffix). */
    public static Database open(Path path) {
        String base = path.toAbsolutePath().toString().replaceFirst("\\.mv\\.db$", "");
        // WRITE_DELAY=0: each commit is written to the file before it returns. H2's default keeps
        // commits in memory for up to half a second, and a killed bot then came back with a run
        // one step behind what it had started (and an audit chain short of its last rows).
        // The committing thread now writes the file itself, and a thread interrupted meanwhile
        // (a run cut off while the bot stops) would close H2's file channel for every connection:
        // "retry:" opens it again and repeats the write. The file is the same .mv.db either way.
        String url = "jdbc:h2:file:retry:" + base + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        new H2FileCompaction(url, Path.of(base + ".mv.db")).compactIfSparse();
        HikariConfig config = new HikariConfig();
        // Appends to the audit chain queue behind each other's lock: a wait is normal, not a failure.
        config.setJdbcUrl(url + ";LOCK_TIMEOUT=10000");
        config.setUsername("opsbot");
        config.setPassword("");
        config.setMaximumPoolSize(16);
        config.setPoolName("opsbot-h2-" + path.getFileName());
        Database db = migrated(new Database(config, Dialect.H2, "H2 file " + base + ".mv.db", url, Path.of(base + ".audit-journal")), null);
        try {
            AuditLog.moveLeftBehind(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * Opens {@code schema} in the PostgreSQL database of {@code server}, creating the schema and its
     * tables when they are not there yet. Other replicas may open the same schema at the same time.
     *
     * @param schema lower-case letters, digits and underscores
     */
    public static Database open(DatabaseServer server, String schema) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("a schema name is lower-case letters, digits and underscores, not '" + schema + "'");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.url());
        if (server.user() != null) config.setUsername(server.user());
        if (server.password() != null) config.setPassword(server.password());
        config.setSchema(schema);
        config.addDataSourceProperty("ApplicationName", "opsbot");
        // Each environment of each replica holds at most this many: two replicas of three environments stay well
        // below PostgreSQL's default of 100 connections.
        config.setMaximumPoolSize(8);
        config.setPoolName("opsbot-pg-" + schema);
        return migrated(new Database(config, Dialect.POSTGRESQL, "schema " + schema + " of " + server, null, null), schema);
    }

    private static Database migrated(Database db, String schema) {
        try {
            new SchemaMigrations(db.pool, db.dialect, schema).apply();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Which database speaks here, for the statements the two write differently. */
    Dialect dialect() {
        return dialect;
    }

    /**
     * Whether only this process can open the database (an embedded H2 file, locked while open): then
     * nothing in it belongs to a replica still running, and leases and runs left there are a gone process's.
     */
    public boolean exclusive() {
        return h2Url != null;
    }

    /**
     * Where audit rows wait before the table ({@link AuditJournal}): on a database only this process
     * opens, which the journal files of this process are as safe as; null where replicas share it.
     */
    Path auditJournals() {
        return auditJournals;
    }

    /** {@code action} runs when the database closes, before its connections go. */
    void onClose(Runnable action) {
        closing.push(action);
    }

    /** The JDBC URL, without any password. */
    public String url() {
        return h2Url != null ? h2Url : pool.getJdbcUrl().replaceFirst("\\?.*", "");
    }

    /** Where the data is, for people: "H2 file …" or "schema … of PostgreSQL …". */
    @Override
    public String toString() {
        return where;
    }

    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    public <T> T withConnection(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreException("database: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     * When PostgreSQL chose it as the victim of a deadlock or a serialization conflict with another
     * connection (another replica), the whole of {@code work} runs again, up to three times.
     */
    public <T> T inTransaction(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return withConnection(c -> once(c, work));
            } catch (StoreException e) {
                if (attempt == ATTEMPTS || !(e.getCause() instanceof SQLException sql) || !RETRYABLE.contains(sql.getSQLState())) throw e;
            }
        }
    }

    private static <T> T once(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.apply(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    public void close() {
        for (Runnable action = closing.poll(); action != null; action = closing.poll()) action.run();
        pool.close();
        if (h2Url == null) return;
        // Compact and close the file cleanly so the next start does not need recovery.
        try (Connection c = DriverManager.getConnection(h2Url, "opsbot", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // already closed
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage();
    }
}
