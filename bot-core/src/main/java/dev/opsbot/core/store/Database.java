package dev.opsbot.core.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded H2 database: one file, its schema brought up to date by Flyway at open
 * ({@link SchemaMigrations}), and scoped access through {@link #withConnection} so no
 * connection leaks.
 */
public final class Database implements AutoCloseable {
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
        try {
            new SchemaMigrations(db.pool, "h2").apply();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
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
