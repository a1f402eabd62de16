package dev.opsbot.core.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The few statements H2 and PostgreSQL write differently; the stores write everything else once.
 * Table and column names come from the stores' own constants, never from input.
 */
enum Dialect {
    H2("h2") {
        @Override
        String upsert(String table, List<String> keys, List<String> columns) {
            return "MERGE INTO " + table + " (" + String.join(", ", columns) + ") KEY (" + String.join(", ", keys) + ") VALUES ("
                    + marks(columns.size()) + ")";
        }

        @Override
        String insertIfAbsent(String table, List<String> keys, List<String> columns) {
            // Numbered parameters, so the keys' values are bound once, in the order of the columns.
            String values = IntStream.rangeClosed(1, columns.size()).mapToObj(i -> "?" + i).collect(Collectors.joining(", "));
            String match = keys.stream().map(k -> k + " = ?" + (columns.indexOf(k) + 1)).collect(Collectors.joining(" AND "));
            return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT " + values
                    + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + match + ")";
        }

        @Override
        String nowPlusMillis() {
            return "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)";
        }

        @Override
        boolean inserted(PreparedStatement insertIfAbsent) throws SQLException {
            // A row inserted by another connection after the NOT EXISTS looked: H2 waits for it, then refuses the
            // duplicate and undoes only this statement, so the transaction goes on.
            try {
                return insertIfAbsent.executeUpdate() > 0;
            } catch (SQLException e) {
                if (DUPLICATE_KEY.equals(e.getSQLState())) return false;
                throw e;
            }
        }
    },
    POSTGRESQL("postgresql") {
        @Override
        String upsert(String table, List<String> keys, List<String> columns) {
            String set = columns.stream().filter(c -> !keys.contains(c)).map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
            return insert(table, columns) + " ON CONFLICT (" + String.join(", ", keys) + ") DO UPDATE SET " + set;
        }

        @Override
        String insertIfAbsent(String table, List<String> keys, List<String> columns) {
            // Waits for a concurrent insert of the same keys to end, then does nothing: atomic across replicas.
            return insert(table, columns) + " ON CONFLICT (" + String.join(", ", keys) + ") DO NOTHING";
        }

        @Override
        String nowPlusMillis() {
            return "(CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '1 millisecond')";
        }
    };

    private static final String DUPLICATE_KEY = "23505";

    /** The folder of this database's own migration scripts, beside {@code common}. */
    final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** Inserts a row, or replaces the one with the same keys; parameters in the order of {@code columns}. */
    abstract String upsert(String table, List<String> keys, List<String> columns);

    /** Inserts a row unless one with the same keys exists (0 rows changed then); parameters in the order of {@code columns}. */
    abstract String insertIfAbsent(String table, List<String> keys, List<String> columns);

    /**
     * The database's own time plus a number of milliseconds (one parameter, negative for the past): leases and
     * heartbeats are judged by the one clock every replica shares, never by a replica's own.
     */
    abstract String nowPlusMillis();

    /** Runs a statement of {@link #insertIfAbsent}: whether it inserted the row (false when one with its keys was there). */
    boolean inserted(PreparedStatement insertIfAbsent) throws SQLException {
        return insertIfAbsent.executeUpdate() > 0;
    }

    /** Makes an identity column hand out {@code next} next (after rows were copied in with their own ids); both speak it alike. */
    String restartIdentity(String table, String column, long next) {
        return "ALTER TABLE " + table + " ALTER COLUMN " + column + " RESTART WITH " + next;
    }

    private static String insert(String table, List<String> columns) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + marks(columns.size()) + ")";
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
