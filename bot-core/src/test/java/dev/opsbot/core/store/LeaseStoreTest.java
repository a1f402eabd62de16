package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.StoreVendor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Leases on an H2 file and on PostgreSQL: one holder until it expires by the database's clock, a fencing number per holder. */
class LeaseStoreTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final Duration LONG = Duration.ofMinutes(5);

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

    private LeaseStore open(StoreVendor vendor) {
        Database db = vendor.open(name, dir, POSTGRES);
        opened.add(db);
        return new LeaseStore(db);
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aLeaseHasOneHolderUntilItExpiresAndItsFencingNumberGrowsOnlyWhenTheHolderChanges(StoreVendor vendor) throws Exception {
        LeaseStore leases = open(vendor);
        LeaseStore.Claim first = leases.claim("duties", "a", Duration.ofSeconds(1), false);
        assertTrue(first.ours());
        assertEquals(1, first.lease().fencing());
        assertFalse(leases.claim("duties", "b", LONG, false).ours(), "held by a");
        LeaseStore.Claim renewed = leases.claim("duties", "a", Duration.ofSeconds(1), false);
        assertTrue(renewed.ours());
        assertEquals(1, renewed.lease().fencing(), "a renewal keeps the number");
        assertEquals(first.lease().since(), renewed.lease().since(), "and the time a took it");

        Thread.sleep(1100);
        LeaseStore.Claim taken = leases.claim("duties", "b", LONG, false);
        assertTrue(taken.ours(), "expired by the database's clock: b takes it");
        assertEquals(2, taken.lease().fencing());
        assertEquals("b", leases.find("duties").orElseThrow().holder());
        assertFalse(leases.claim("duties", "a", LONG, false).ours(), "a's old lease is gone");
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aLeaseLetGoIsTakenAtOnceAndOneOnlyThisProcessCanOpenIsTakenOverWhoeverHeldIt(StoreVendor vendor) {
        LeaseStore leases = open(vendor);
        assertTrue(leases.claim("duties", "a", LONG, false).ours());
        leases.release("duties", "b");
        assertFalse(leases.claim("duties", "b", LONG, false).ours(), "only the holder lets it go");
        leases.release("duties", "a");
        assertTrue(leases.claim("duties", "b", LONG, false).ours());

        LeaseStore.Claim takenOver = leases.claim("duties", "c", LONG, true);
        assertTrue(takenOver.ours(), "an H2 file's leases belong to processes that are gone");
        assertEquals(3, takenOver.lease().fencing());
    }

    /** Two replicas asking at the same instant, many times: every time exactly one holds the lease. */
    @Test
    void twoReplicasClaimingTogetherNeverBothHoldIt() throws Exception {
        List<LeaseStore> replicas = List.of(open(StoreVendor.POSTGRESQL), open(StoreVendor.POSTGRESQL));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String lease = "round-" + round;
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    LeaseStore leases = replicas.get(r);
                    String holder = "replica-" + r;
                    claims.add(threads.submit(() -> {
                        together.await();
                        return leases.claim(lease, holder, LONG, false).ours();
                    }));
                }
                int holders = 0;
                for (Future<Boolean> f : claims) holders += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                assertEquals(1, holders, "round " + round);
                assertEquals(1, replicas.get(0).find(lease).orElseThrow().fencing());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
