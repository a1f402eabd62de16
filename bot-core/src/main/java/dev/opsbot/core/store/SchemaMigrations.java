package dev.opsbot.core.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Brings a database's schema up to date with Flyway: the scripts in {@code db/migration/common},
 * then those in {@code db/migration/<vendor>} where that folder exists (SQL one database
 * speaks and another does not: {@code h2}, {@code postgresql}). Only these folders are scanned,
 * which keeps the start-up cheap. In PostgreSQL the tables and Flyway's history live in the
 * environment's own schema, created on the first open; Flyway's lock on PostgreSQL lets several
 * replicas start against one new schema at once.
 *
 * <p>Databases written by 0.1.0 recorded their versions in {@code schema_version}, with no Flyway
 * history: Flyway baselines them at the highest version recorded there, so only later scripts run
 * and every row stays. That table is left as it was.
 */
final class SchemaMigrations {
    private static final String FOLDER = "db/migration/";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String schema;

    /** @param schema the schema that holds the tables, null for the connection's own (H2's file) */
    SchemaMigrations(DataSource dataSource, Dialect dialect, String schema) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.schema = schema;
    }

    void apply() {
        ClassLoader loader = SchemaMigrations.class.getClassLoader();
        String common = FOLDER + "common";
        String ownSql = FOLDER + dialect.folder;
        FluentConfiguration config = Flyway.configure(loader)
                .dataSource(dataSource)
                .locations(Stream.of(common, ownSql).filter(f -> f.equals(common) || loader.getResource(f) != null)
                        .map("classpath:"::concat).toArray(String[]::new));
        if (schema != null) config.schemas(schema).defaultSchema(schema).createSchemas(true);
        if (dialect == Dialect.H2) legacyVersion().ifPresent(v -> config.baselineOnMigrate(true).baselineVersion(Integer.toString(v))
                .baselineDescription("versions up to " + v + " from schema_version"));
        try {
            config.load().migrate();
        } catch (FlywayException e) {
            throw new StoreException("database migration: " + e.getMessage(), e);
        }
    }

    /** The highest version in the table of the runner before Flyway (0.1.0 wrote only H2 files), if this database has that table. */
    private OptionalInt legacyVersion() {
        try (Connection c = dataSource.getConnection()) {
            try (ResultSet tables = c.getMetaData().getTables(null, c.getSchema(), "SCHEMA_VERSION", new String[] {"TABLE"})) {
                if (!tables.next()) return OptionalInt.empty();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                int version = rs.getInt(1);
                return version > 0 ? OptionalInt.of(version) : OptionalInt.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("database: " + e.getMessage(), e);
        }
    }
}
