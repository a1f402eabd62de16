package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.testing.Postgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What only PostgreSQL has: one database shared by environments and replicas, a server that can be away, a password. */
class PostgresDatabaseTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Test
    void environmentsInOneDatabaseKeepTheirDataApartInTheirOwnSchemas() {
        DatabaseServer server = POSTGRES.server();
        try (Database staging = Database.open(server, "opsbot_staging"); Database production = Database.open(server, "opsbot_production")) {
            new AuditLog(staging, Redactor.shapesOnly()).append("slack:U1", "slack:C1", "command", "/ops deploy sha-5d6e7f8", "received");
            assertEquals(1, new RunStore(staging).start("deploy", "/ops deploy", Map.of(), "slack:U1", "slack:C1", 7));

            assertTrue(new AuditLog(production, Redactor.shapesOnly()).recent(10).isEmpty());
            assertEquals(1, new RunStore(production).start("health", "/ops health", Map.of(), "slack:U1", "slack:C2", 1),
                    "run numbers count per environment");
            assertTrue(schemas(production).containsAll(List.of("opsbot_production", "opsbot_staging")), schemas(production).toString());
        }
    }

    /** Two replicas starting at once against a database nobody used yet: both come up, the tables are made once. */
    @Test
    void twoReplicasOpeningANewSchemaAtOnceBothStart() throws Exception {
        DatabaseServer server = POSTGRES.server();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Database> opened = new ArrayList<>();
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            List<Future<Database>> replicas = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                replicas.add(threads.submit(() -> {
                    together.await();
                    return Database.open(server, "opsbot_together");
                }));
            }
            for (Future<Database> f : replicas) opened.add(f.get(60, TimeUnit.SECONDS));
            int migrations = opened.get(0).withConnection(c -> {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertEquals(5, migrations, "V1, V2, V3, V5, V6 applied once each");
            new AuditLog(opened.get(1), Redactor.shapesOnly()).append("slack:U1", "slack:C1", "command", "/ops ps", "received");
            assertEquals(1, new AuditLog(opened.get(0), Redactor.shapesOnly()).recent(5).size());
        } finally {
            opened.forEach(Database::close);
            threads.shutdownNow();
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsSaidSoWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        DatabaseServer away = new DatabaseServer("jdbc:postgresql://127.0.0.1:" + closedPort + "/opsbot?connectTimeout=2", "opsbot",
                "pw-never-shown-7f3a");
        StoreException e = assertThrows(StoreException.class, () -> Database.open(away, "opsbot"));
        assertTrue(e.getMessage().startsWith("cannot open the database (schema opsbot of PostgreSQL jdbc:postgresql://127.0.0.1:"
                + closedPort + "/opsbot as opsbot): "), e.getMessage());
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertFalse(e.getMessage().contains("pw-never-shown-7f3a"));
        assertFalse(away.toString().contains("pw-never-shown-7f3a"), away.toString());
    }

    @Test
    void aWrongPasswordIsRefusedByTheServer() {
        DatabaseServer server = POSTGRES.server();
        DatabaseServer wrong = new DatabaseServer(server.url(), server.user(), "not-the-password");
        StoreException e = assertThrows(StoreException.class, () -> Database.open(wrong, "opsbot"));
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
    }

    @Test
    void onlyPostgresqlIsAServerAndSchemaNamesAreStrict() {
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> new DatabaseServer("jdbc:mysql://db/opsbot?password=x", "u", "p"));
        assertEquals("a database URL is jdbc:postgresql://host:port/database (PostgreSQL), not jdbc:mysql://db/opsbot…", url.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Database.open(POSTGRES.server(), "Staging; DROP SCHEMA public"));
    }

    private static List<String> schemas(Database db) {
        return db.withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'opsbot%' ORDER BY schema_name")) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        });
    }
}
