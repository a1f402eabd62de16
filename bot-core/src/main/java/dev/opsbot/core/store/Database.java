package dev.opsbot.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded H2 database: one file, schema migrations applied in order at open
 * ({@code db/V<n>__*.sql} on the classpath, recorded in {@code schema_version}), and scoped
 * access through {@link #withConnection} so no connection leaks.
 */
public final class Database implements AutoCloseable {
    /** Migration scripts in order; a new one is appended, never edited. */
    private static final String[] MIGRATIONS = {"db/V1__init.sql", "db/V2__access.sql", "db/V3__alerts.sql"};

    private final JdbcConnectionPool pool;
    private final String url;

    private Database(String url) {
        this.url = url;
        this.pool = JdbcConnectionPool.create(url, "opsbot", "");
        this.pool.setMaxConnections(16);
    }

    /** Opens (creating if needed) the database file at {@code path} (without the .mv.db suffix). */
    public static Database open(Path path) {
        String base = path.toAbsolutePath().toString().replaceFirst("\\.mv\\.db$", "");
        Database db = new Database("jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE");
        db.migrate();
        return db;
    }

    public String url() {
        return url;
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

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        return withConnection(c -> {
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
        });
    }

    private void migrate() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, applied_at TIMESTAMP WITH TIME ZONE)");
            }
            int current;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                current = rs.getInt(1);
            }
            for (int v = current + 1; v <= MIGRATIONS.length; v++) {
                try (Statement s = c.createStatement()) {
                    for (String sql : script(MIGRATIONS[v - 1]).split(";\\s*\\n")) {
                        if (!sql.isBlank()) s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version VALUES (?, CURRENT_TIMESTAMP)")) {
                    p.setInt(1, v);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    private static String script(String resource) {
        try (InputStream in = Database.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new StoreException("missing migration " + resource, null);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + resource, e);
        }
    }

    @Override
    public void close() {
        pool.dispose();
        // Compact and close the file cleanly so the next start does not need recovery.
        try (Connection c = DriverManager.getConnection(url, "opsbot", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // already closed
        }
    }
}
