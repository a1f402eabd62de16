package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.StoreVendor;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stack locks and approvals, on an H2 file and on PostgreSQL, also with two replicas asking at once. */
class LockStoreTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @TempDir
    Path dir;
    String name;
    final List<Database> opened = new ArrayList<>();

    @BeforeEach
    void name() {
        name = POSTGRES.freshSchema();
    }

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    private Database open(StoreVendor vendor) {
        Database db = vendor.open(name, dir, POSTGRES);
        opened.add(db);
        return db;
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aStackIsLockedByOneRunUntilItLetsGo(StoreVendor vendor) {
        LockStore locks = new LockStore(open(vendor));
        assertEquals(Optional.empty(), locks.acquire("demo", 1, "slack:U1", "deploy sha-5d6e7f8", NOW));
        assertEquals(Optional.empty(), locks.acquire("demo", 1, "slack:U1", "deploy sha-5d6e7f8 (resumed)", NOW), "the holder again");
        LockStore.Lock held = locks.acquire("demo", 2, "slack:U2", "rollback", NOW).orElseThrow();
        assertEquals(1, held.runId());
        assertEquals("deploy sha-5d6e7f8 (resumed)", held.what());
        assertEquals(NOW, held.since());

        assertTrue(locks.transfer("demo", 1, 3, "slack:U1", "resume", NOW));
        assertFalse(locks.transfer("demo", 1, 4, "slack:U1", "resume", NOW), "only from the run that holds it");
        locks.release("demo", 1);
        assertEquals(3, locks.held("demo").orElseThrow().runId(), "a run that does not hold it cannot release it");
        assertEquals(3, locks.forceRelease("demo").orElseThrow().runId());
        assertEquals(Optional.empty(), locks.held("demo"));
        assertEquals(Optional.empty(), locks.acquire("demo", 2, "slack:U2", "rollback", NOW));
    }

    /** Two replicas start a run on the same stack at the same instant: one holds the lock, the other is told who. */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void twoReplicasAskingAtOnceGetOneLock(StoreVendor vendor) throws Exception {
        List<LockStore> replicas = List.of(new LockStore(open(vendor)), new LockStore(open(vendor)));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String stack = "stack" + round;
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Optional<LockStore.Lock>>> answers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    LockStore locks = replicas.get(r);
                    long run = 10 + r;
                    answers.add(threads.submit(() -> {
                        together.await();
                        return locks.acquire(stack, run, "slack:U" + run, "deploy", NOW);
                    }));
                }
                Optional<LockStore.Lock> a = answers.get(0).get(30, TimeUnit.SECONDS);
                Optional<LockStore.Lock> b = answers.get(1).get(30, TimeUnit.SECONDS);
                assertTrue(a.isEmpty() != b.isEmpty(), "round " + round + ": one takes it, " + a + " " + b);
                long holder = replicas.get(0).held(stack).orElseThrow().runId();
                assertEquals(a.isEmpty() ? 10 : 11, holder);
                assertEquals(holder, a.orElseGet(() -> b.orElseThrow()).runId(), "the other is told who holds it");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void anApproverCountsOnce(StoreVendor vendor) {
        ApprovalStore approvals = new ApprovalStore(open(vendor));
        assertTrue(approvals.add("g1", "slack:U2", NOW));
        assertFalse(approvals.add("g1", "slack:U2", NOW.plusSeconds(1)));
        assertTrue(approvals.add("g1", "slack:U3", NOW.plusSeconds(2)));
        assertTrue(approvals.add("g2", "slack:U2", NOW));
        assertEquals(List.of("slack:U2", "slack:U3"), approvals.approvers("g1"));
    }
}
