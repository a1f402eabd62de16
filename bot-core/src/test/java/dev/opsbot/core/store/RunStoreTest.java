package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.StoreVendor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs, their steps and the deploy history, on an H2 file and on PostgreSQL. */
class RunStoreTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

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
    void aRunKeepsItsStepsAndItsEnd(StoreVendor vendor) {
        RunStore runs = new RunStore(open(vendor));
        long id = runs.start("deploy", "/ops deploy sha-5d6e7f8", Map.of("tag", "sha-5d6e7f8"), "slack:U1", "slack:C1", 3);
        runs.liveMessage(id, "1712.0001");
        runs.stepStarted(id, 1, "pull");
        runs.stepEnded(id, 1, "SUCCEEDED", "pulled");
        runs.stepStarted(id, 2, "up");
        runs.stepStarted(id, 2, "up (again)");
        runs.finish(id, RunStatus.SUCCEEDED, "backend sha-1a2b3c4 -> sha-5d6e7f8");

        RunRecord run = runs.find(id).orElseThrow();
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals(Map.of("tag", "sha-5d6e7f8"), run.params());
        assertEquals("1712.0001", run.liveMessage());
        assertEquals(2, run.currentStep());
        assertNotNull(run.endedAt());
        assertEquals(Optional.of("pull"), runs.stepName(id, 1));
        assertEquals(Optional.of("up (again)"), runs.stepName(id, 2), "a step started again is one step");
        assertEquals(List.of(id), runs.recent(5).stream().map(RunRecord::id).toList());
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void runsLeftRunningAreMarkedInterruptedAtStart(StoreVendor vendor) {
        RunStore runs = new RunStore(open(vendor));
        long done = runs.start("health", "/ops health", Map.of(), "slack:U1", "slack:C1", 1);
        runs.finish(done, RunStatus.SUCCEEDED, "ok");
        long left = runs.start("deploy", "/ops deploy sha-5d6e7f8", Map.of(), "slack:U1", "slack:C1", 7);

        assertEquals(List.of(left), runs.claimLeftBehind("the-next-process", Set.of()).stream().map(RunRecord::id).toList());
        assertEquals(RunStatus.INTERRUPTED, runs.find(left).orElseThrow().status());
        assertEquals(RunStatus.SUCCEEDED, runs.find(done).orElseThrow().status());
    }

    /** Two replicas starting runs at the same time: every run gets its own number. */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void runNumbersAreNeverHandedOutTwiceByTwoReplicas(StoreVendor vendor) throws Exception {
        List<RunStore> replicas = List.of(new RunStore(open(vendor)), new RunStore(open(vendor)));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Long>>> started = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                RunStore runs = replicas.get(t % 2);
                started.add(threads.submit(() -> {
                    go.await();
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < 25; i++) ids.add(runs.start("health", "/ops health", Map.of(), "slack:U1", "slack:C1", 1));
                    return ids;
                }));
            }
            go.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : started) all.addAll(f.get(60, TimeUnit.SECONDS));
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), all.stream().sorted().toList());
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void theLastKnownGoodTagIsTheNewestVerifiedDeployOfThatService(StoreVendor vendor) {
        DeployStore deploys = new DeployStore(open(vendor));
        deploys.record(1, "demo", "backend", "sha-1a2b3c4", "sha-5d6e7f8", "slack:U1", null, "succeeded", true);
        deploys.record(2, "demo", "worker", "sha-1a2b3c4", "sha-5d6e7f8", "slack:U1", "slack:U2", "succeeded", true);
        deploys.record(3, "demo", "backend", "sha-5d6e7f8", "sha-9a8b7c6", "slack:U1", null, "failed", false);

        assertEquals(Optional.of("sha-5d6e7f8"), deploys.lastKnownGood("demo", "backend", "sha-9a8b7c6"));
        assertEquals(List.of(3L, 2L, 1L), deploys.recent("demo", null, 10).stream().map(DeployRecord::runId).toList(),
                "every service when none is named");
        assertEquals(List.of(3L), deploys.recent("demo", "backend", 1).stream().map(DeployRecord::runId).toList());
        DeployRecord approved = deploys.recent("demo", "worker", 1).get(0);
        assertEquals("slack:U2", approved.approvedBy());
        assertTrue(approved.healthVerified());
        assertTrue(deploys.recent("other", null, 10).isEmpty());
    }
}
