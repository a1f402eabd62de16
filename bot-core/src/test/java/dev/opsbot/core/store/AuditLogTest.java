package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.StoreVendor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hash-chained audit trail, on an H2 file and on PostgreSQL. */
class AuditLogTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @TempDir
    Path dir;
    String name;

    @BeforeEach
    void name() {
        name = POSTGRES.freshSchema();
    }

    private Database open(StoreVendor vendor) {
        return vendor.open(name, dir, POSTGRES);
    }

    private static AuditLog filled(Database db) {
        AuditLog log = new AuditLog(db, Redactor.shapesOnly());
        for (int i = 1; i <= 5; i++) log.append("slack:U" + i, "slack:C1", "command", "/ops deploy sha-000000" + i, "received");
        // In the table, where the tests alter them (on H2 they wait in the trail's journal until then).
        log.flush();
        return log;
    }

    private static void execute(Database db, String sql) {
        db.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void anIntactTrailVerifies(StoreVendor vendor) {
        try (Database db = open(vendor)) {
            AuditLog log = filled(db);
            assertEquals(Optional.empty(), log.verify());
            assertEquals(5, log.recent(100).size());
        }
    }

    /** A command is audited as typed, before it is checked; PostgreSQL refused a NUL in it, and the command failed. */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aCommandWithANulIsAuditedWithItsSymbol(StoreVendor vendor) {
        try (Database db = open(vendor)) {
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            log.append("slack:U1", "slack:C1", "command", "/ops deploy sha-abc1234\u0000", "received\u0000");
            assertEquals("/ops deploy sha-abc1234\u2400", log.recent(1).get(0).detail());
            assertEquals(Optional.empty(), log.verify());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void anAlteredRowIsFound(StoreVendor vendor) {
        try (Database db = open(vendor)) {
            AuditLog log = filled(db);
            execute(db, "UPDATE audit SET actor = 'slack:U9' WHERE id = 3");
            assertEquals(Optional.of("row 3 was altered"), log.verify());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aRemovedRowIsFound(StoreVendor vendor) {
        try (Database db = open(vendor)) {
            AuditLog log = filled(db);
            execute(db, "DELETE FROM audit WHERE id = 2");
            assertTrue(log.verify().orElseThrow().contains("row 2 is missing"), log.verify().toString());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void rowsRemovedFromTheEndAreFoundAndTheNextRowDoesNotHideIt(StoreVendor vendor) {
        try (Database db = open(vendor)) {
            AuditLog log = filled(db);
            execute(db, "DELETE FROM audit WHERE id >= 4");
            assertEquals(Optional.of("rows after 3 were removed (the trail ended at row 5)"), log.verify());
            log.append("slack:U1", "slack:C1", "command", "/ops ps", "received");
            assertEquals(Optional.of("row 4 is missing (next row is 6)"), log.verify());
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void secretsAreRedactedBeforeTheyAreStoredAndTheDatabaseSurvivesReopening(StoreVendor vendor) {
        try (Database db = open(vendor)) {
            new AuditLog(db, new Redactor(() -> List.of("s3cr3t-value"))).append("u", "c", "command", "/ops x s3cr3t-value", "ok");
        }
        try (Database db = open(vendor)) {
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            assertEquals("/ops x [redacted]", log.recent(1).get(0).detail());
            assertEquals(Optional.empty(), log.verify());
        }
    }

    /**
     * A release older than the chain's head appends without moving it (as during a rolling
     * upgrade of replicas); the next append of this process still continues the chain after
     * that row, not over it.
     */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aRowAppendedWithoutMovingTheHeadIsContinuedNotOverwritten(StoreVendor vendor) {
        try (Database db = open(vendor); Database other = open(vendor)) {
            AuditLog log = filled(db);
            AuditEntry fifth = log.recent(1).get(0);
            AuditLog older = new AuditLog(other, Redactor.shapesOnly());
            older.append("slack:U9", "slack:C1", "command", "/ops ps", "received");
            older.flush();
            execute(other, "UPDATE audit_chain SET last_id = 5, last_hash = '" + fifth.hash() + "' WHERE id = 1");
            log.append("slack:U1", "slack:C1", "command", "/ops help", "received");
            assertEquals(Optional.empty(), log.verify());
            List<AuditEntry> rows = log.recent(10);
            assertEquals(7, rows.size());
            assertEquals("/ops help", rows.get(0).detail());
            assertEquals("/ops ps", rows.get(1).detail());
        }
    }

    /**
     * Commands of one process append at the same time and share transactions; still, each append
     * returns only once its own row is kept (a command is audited before it is answered): committed,
     * so that another connection reads it, or on H2 in the trail's journal until it is — and the
     * rows make one chain.
     */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void eachAppendReturnsWithItsRowCommittedWhenAppendsShareATransaction(StoreVendor vendor) throws Exception {
        int threadsAppending = 8;
        int each = 25;
        ExecutorService threads = Executors.newFixedThreadPool(threadsAppending);
        try (Database db = open(vendor); Database reader = open(vendor)) {
            AuditLog log = new AuditLog(db, Redactor.shapesOnly());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> unseen = new ArrayList<>();
            for (int t = 0; t < threadsAppending; t++) {
                String actor = "slack:U" + t;
                unseen.add(threads.submit(() -> {
                    go.await();
                    int missing = 0;
                    for (int i = 0; i < each; i++) {
                        String detail = "/ops ps " + actor + " " + i;
                        log.append(actor, "slack:C1", "command", detail, "received");
                        // The journal first: a row leaves it only once it is committed.
                        if (!(vendor == StoreVendor.H2 && journaled(detail)) && rows(reader, detail) != 1) missing++;
                    }
                    return missing;
                }));
            }
            go.countDown();
            for (Future<Integer> f : unseen) assertEquals(0, f.get(60, TimeUnit.SECONDS), "rows not committed when their append returned");
            assertEquals(Optional.empty(), log.verify());
            assertEquals((long) threadsAppending * each, log.recent(1000).size());
        } finally {
            threads.shutdownNow();
        }
    }

    private boolean journaled(String detail) throws IOException {
        Path journals = dir.resolve(name + ".audit-journal");
        try (Stream<Path> files = Files.list(journals)) {
            for (Path f : files.toList()) {
                if (Files.readString(f).contains("\t" + detail + "\t")) return true;
            }
        }
        return false;
    }

    private static long rows(Database db, String detail) {
        return db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM audit WHERE detail = ?")) {
                p.setString(1, detail);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Two replicas: two pools on one database, each with its own trail object, appending at the same time. */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void twoWritersAppendingAtOnceMakeOneChain(StoreVendor vendor) throws Exception {
        int writers = 4;
        int each = 40;
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try (Database a = open(vendor); Database b = open(vendor)) {
            List<AuditLog> logs = List.of(new AuditLog(a, Redactor.shapesOnly()), new AuditLog(b, Redactor.shapesOnly()));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                AuditLog log = logs.get(w % 2);
                String actor = "slack:U" + w;
                done.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) log.append(actor, "slack:C1", "command", "/ops ps " + i, "received");
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);

            assertEquals(Optional.empty(), logs.get(0).verify());
            assertEquals(Optional.empty(), logs.get(1).verify());
            List<Long> ids = logs.get(1).recent(1000).stream().map(AuditEntry::id).sorted().toList();
            assertEquals(LongStream.rangeClosed(1, (long) writers * each).boxed().toList(), ids, "one row each, numbered without gaps");
        } finally {
            threads.shutdownNow();
        }
    }
}
