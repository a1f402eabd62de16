package dev.opsbot.core.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.LeaseStore;
import dev.opsbot.core.testing.Postgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of one environment on one PostgreSQL schema, with a 3 s lease: one leads; when it
 * loses the database its duties stop before the other's start, and the other leads within a
 * lease; a leader that stops lets go at once. On an H2 file the only process leads at once.
 */
@Timeout(60)
class LeadershipTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final Duration TTL = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    final List<AutoCloseable> opened = new ArrayList<>();

    /** What the duties did, in order, with this JVM's monotonic clock (both replicas share it here). */
    record Event(String replica, boolean started, long nanos) { }

    final List<Event> events = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
    }

    private Database database(String schema) {
        Database db = Database.open(POSTGRES.server(), schema);
        opened.add(db);
        return db;
    }

    private Leadership replica(String id, Database db) {
        Leadership leadership = new Leadership(new LeaseStore(db), new ReplicaSettings(id, TTL), db.exclusive(), "demo");
        leadership.add(Duty.of("recording", () -> record(id, true), () -> record(id, false)));
        opened.add(leadership);
        return leadership;
    }

    private synchronized void record(String replica, boolean started) {
        events.add(new Event(replica, started, System.nanoTime()));
    }

    private synchronized List<Event> events() {
        return List.copyOf(events);
    }

    private static long await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout);
            Thread.sleep(20);
        }
        return System.nanoTime() - start;
    }

    @Test
    void whenTheLeaderLosesTheDatabaseItStopsItsDutiesBeforeTheOtherReplicaStartsThemWithinALease() throws Exception {
        String schema = POSTGRES.freshSchema();
        Database aDb = database(schema);
        Leadership a = replica("a", aDb);
        Leadership b = replica("b", database(schema));
        a.start();
        b.start();
        assertTrue(a.leading(), "the first to ask leads");
        assertFalse(b.leading());
        assertEquals("a", b.state().leader());
        Thread.sleep(TTL.toMillis() + 500);
        assertTrue(a.leading(), "renewed: a still leads after a whole lease");
        assertFalse(b.leading());

        long lost = System.nanoTime();
        aDb.close();
        long handover = await(b::leading, TTL.plus(TTL));
        assertFalse(a.leading());
        List<Event> seen = events();
        Event aStopped = seen.stream().filter(e -> e.replica().equals("a") && !e.started()).findFirst().orElseThrow();
        Event bStarted = seen.stream().filter(e -> e.replica().equals("b") && e.started()).findFirst().orElseThrow();
        assertTrue(aStopped.nanos() < bStarted.nanos(), "a stopped its duties before b started them: " + seen);
        assertTrue(aStopped.nanos() - lost <= new ReplicaSettings("a", TTL).stepDownAfter().plusMillis(500).toNanos(),
                "a stopped within two thirds of a lease of its last renewal");
        assertTrue(Duration.ofNanos(handover).compareTo(TTL.plus(TTL.dividedBy(3)).plusMillis(700)) <= 0,
                "b leads within a lease and one try: " + Duration.ofNanos(handover));
        assertTrue(b.state().fencing() > 1, "a new holder, a new fencing number");
        assertEquals(List.of(true, false, true), seen.stream().map(Event::started).toList(), "a started, a stopped, b started");
    }

    @Test
    void aLeaderThatStopsLetsGoAndTheOtherLeadsAtItsNextTry() throws Exception {
        String schema = POSTGRES.freshSchema();
        Leadership a = replica("a", database(schema));
        Leadership b = replica("b", database(schema));
        a.start();
        b.start();
        assertTrue(a.leading());
        a.stop();
        long handover = await(b::leading, TTL);
        assertTrue(Duration.ofNanos(handover).compareTo(TTL.dividedBy(3).plusMillis(700)) <= 0,
                "not a whole lease: " + Duration.ofNanos(handover));
    }

    @Test
    void theOnlyProcessOfAnH2FileLeadsAtOnceOverALeaseAGoneProcessLeft() {
        Database db = Database.open(dir.resolve("opsbot"));
        opened.add(db);
        new LeaseStore(db).claim(Leadership.LEASE, "a-process-that-was-killed", Duration.ofHours(1), false);
        Leadership alone = replica("alone", db);
        alone.start();
        assertTrue(alone.leading(), "no waiting for the dead process's lease to expire");
        assertEquals(List.of(true), events().stream().map(Event::started).toList());
    }
}
