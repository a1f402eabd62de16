package dev.opsbot.core.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Copies one environment's database into another, as when an installation moves from its H2 files
 * to PostgreSQL: every table's rows with their ids, so run numbers, button tokens and the audit
 * chain read as before, and identity counters set past the copied ids. Both databases are opened
 * (and so migrated) first: the tables are the same on both sides, whatever they are.
 */
public final class DatabaseCopy {
    /** Not copied: the migrations' own records, and leases (which processes hold what now: none of the copy's). */
    private static final Set<String> BOOKKEEPING = Set.of("flyway_schema_history", "schema_version", "leases");
    /** The chain's head row exists from the start; it says nothing about whether the trail holds data. */
    private static final String CHAIN_HEAD = "audit_chain";
    private static final int BATCH = 500;

    private final Database from;
    private final Database to;

    public DatabaseCopy(Database from, Database to) {
        this.from = from;
        this.to = to;
    }

    /** The target's tables that hold rows, with their counts: empty when there is nothing a copy would replace. */
    public Map<String, Long> targetContents() {
        return to.withConnection(c -> {
            Map<String, Long> held = new LinkedHashMap<>();
            for (Table t : tables(c)) {
                if (t.name().equals(CHAIN_HEAD)) continue;
                long rows = count(c, t.name());
                if (rows > 0) held.put(t.name(), rows);
            }
            return held;
        });
    }

    /**
     * Copies every row of the source into the target, replacing whatever the target held, in one
     * transaction: the target ends up a copy of the source, or unchanged. Returns the rows copied per table.
     */
    public Map<String, Long> copy() {
        return from.withConnection(source -> to.inTransaction(target -> {
            List<Table> tables = tables(target);
            Map<String, List<String>> sourceShape = shape(tables(source));
            if (!sourceShape.equals(shape(tables))) {
                throw new SQLException("the two databases have different tables or columns (" + from + ": " + sourceShape + "; "
                        + to + ": " + shape(tables) + ")");
            }
            Map<String, Long> copied = new LinkedHashMap<>();
            for (Table t : tables) {
                try (Statement s = target.createStatement()) {
                    s.executeUpdate("DELETE FROM " + t.name());
                }
                copied.put(t.name(), copyRows(source, target, t));
                for (Column id : t.columns()) {
                    if (id.identity()) restartAfterLast(target, t.name(), id.name());
                }
            }
            return copied;
        }));
    }

    private long copyRows(Connection source, Connection target, Table t) throws SQLException {
        String names = String.join(", ", t.columns().stream().map(Column::name).toList());
        String marks = String.join(", ", t.columns().stream().map(c -> "?").toList());
        long rows = 0;
        try (Statement read = source.createStatement();
             ResultSet rs = read.executeQuery("SELECT " + names + " FROM " + t.name());
             PreparedStatement write = target.prepareStatement("INSERT INTO " + t.name() + " (" + names + ") VALUES (" + marks + ")")) {
            while (rs.next()) {
                for (int i = 1; i <= t.columns().size(); i++) {
                    Object value = rs.getObject(i);
                    if (value == null) write.setNull(i, t.columns().get(i - 1).sqlType());
                    else write.setObject(i, value);
                }
                write.addBatch();
                if (++rows % BATCH == 0) write.executeBatch();
            }
            write.executeBatch();
        }
        return rows;
    }

    private void restartAfterLast(Connection target, String table, String column) throws SQLException {
        long last;
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(" + column + "), 0) FROM " + table)) {
            rs.next();
            last = rs.getLong(1);
        }
        try (Statement s = target.createStatement()) {
            s.execute(to.dialect().restartIdentity(table, column, last + 1));
        }
    }

    private record Column(String name, int sqlType, boolean identity) { }

    private record Table(String name, List<Column> columns) { }

    /** Tables and their columns' names: what both sides must agree on (each driver names the types its own way). */
    private static Map<String, List<String>> shape(List<Table> tables) {
        Map<String, List<String>> shape = new LinkedHashMap<>();
        for (Table t : tables) shape.put(t.name(), t.columns().stream().map(Column::name).toList());
        return shape;
    }

    /** The bot's tables and their columns, names in lower case (both databases take them so unquoted). */
    private static List<Table> tables(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) names.add(rs.getString("TABLE_NAME"));
        }
        List<Table> tables = new ArrayList<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (BOOKKEEPING.contains(lower)) continue;
            List<Column> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, c.getSchema(), name, "%")) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("DATA_TYPE"),
                            "YES".equals(rs.getString("IS_AUTOINCREMENT"))));
                }
            }
            tables.add(new Table(lower, List.copyOf(columns)));
        }
        tables.sort(Comparator.comparing(Table::name));
        return tables;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
