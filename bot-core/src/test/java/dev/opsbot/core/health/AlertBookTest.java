package dev.opsbot.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.health.AlertChange.Kind;
import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.store.AlertRecord.State;
import dev.opsbot.core.store.AlertStore;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.RunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The alert state machine on a real H2 file, fed observations by hand: what the channel would be told, step by step. */
@Timeout(30)
class AlertBookTest {
    private static final Thresholds THREE_TWO = new Thresholds(3, 2);
    private static final MonitorSettings SETTINGS = new MonitorSettings(false, List.of(), THREE_TWO, Duration.ofMinutes(15),
            Map.of(Severity.CRITICAL, List.of(ChannelRef.of("test", "ops"))), 3, Duration.ofMinutes(10), null, null, null);

    @TempDir
    Path dir;
    Database db;
    AlertBook book;
    Instant now = Instant.parse("2024-05-01T10:00:00Z");

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("opsbot"));
        book = newBook();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private AlertBook newBook() {
        return new AlertBook(new AlertStore(db), "demo", SETTINGS, new RecentDeploys(new DeployStore(db), new RunStore(db), "demo", Duration.ofMinutes(30)));
    }

    /** Feeds one result of backend's api check, a second after the last; returns what the channel hears (null: nothing). */
    private Kind feed(boolean ok, String output) {
        now = now.plusSeconds(1);
        return book.observe(new Observation("backend", "api", ok, output, now, null, Severity.CRITICAL, THREE_TWO), false)
                .map(AlertChange::kind).orElse(null);
    }

    private List<Kind> feed(boolean ok, int times) {
        List<Kind> out = new ArrayList<>();
        for (int i = 0; i < times; i++) out.add(feed(ok, ok ? "200" : "502"));
        return out;
    }

    @Test
    void aCheckAlertsOnceAfterNFailuresAndResolvesAfterMSuccesses() {
        assertEquals(java.util.Arrays.asList(null, null, Kind.OPENED, null, null), feed(false, 5), "the third failure opens, the rest are quiet");
        AlertRecord open = book.open().get(0);
        assertEquals(now.minusSeconds(4), open.since(), "since the first failure of the streak");
        assertEquals(Kind.UPDATED, feed(false, "504"), "different output updates the message");
        assertEquals(java.util.Arrays.asList(null, Kind.RESOLVED), feed(true, 2));
        assertTrue(book.open().isEmpty());
    }

    @Test
    void failingAgainSoonAfterRecoveryReopensTheSameAlertAndTheThirdTimeItIsFlapping() {
        feed(false, 3);
        long id = book.open().get(0).id();
        feed(true, 2);
        assertEquals(java.util.Arrays.asList(null, null, Kind.REOPENED), feed(false, 3));
        assertEquals(id, book.open().get(0).id(), "the same alert, not a second one");
        assertEquals(State.OPEN, book.open().get(0).state());
        feed(true, 2);
        feed(false, 3);
        AlertRecord flapping = book.open().get(0);
        assertEquals(State.FLAPPING, flapping.state());
        assertEquals(3, flapping.occurrences());

        assertEquals(java.util.Arrays.asList(null, Kind.PASSING), feed(true, 2), "a flapping check that passes stays open");
        assertEquals(Kind.REOPENED, feed(false, "502"), "and a failure shows at once, on the same message");
        feed(true, 2);
        assertTrue(book.tick(now.plus(Duration.ofMinutes(5)), s -> false).isEmpty());
        List<AlertChange> later = book.tick(now.plus(Duration.ofMinutes(11)), s -> false);
        assertEquals(List.of(Kind.RESOLVED), later.stream().map(AlertChange::kind).toList(), "resolved after passing for a whole window");
    }

    @Test
    void unacknowledgedAlertsAreRemindedAndAcknowledgedOnesAreNot() {
        feed(false, 3);
        AlertRecord a = book.open().get(0);
        assertTrue(book.tick(now.plus(Duration.ofMinutes(14)), s -> false).isEmpty());
        assertEquals(List.of(Kind.REMINDED), book.tick(now.plus(Duration.ofMinutes(15)), s -> false).stream().map(AlertChange::kind).toList());
        assertTrue(book.tick(now.plus(Duration.ofMinutes(16)), s -> false).isEmpty(), "the next reminder is another interval away");
        assertTrue(book.tick(now.plus(Duration.ofMinutes(31)), s -> true).isEmpty(), "muted: no reminder");

        assertEquals(Optional.of(Kind.ACKNOWLEDGED), book.acknowledge(a.id(), "alice", now).map(AlertChange::kind));
        assertEquals(Optional.empty(), book.acknowledge(a.id(), "bob", now), "acknowledged once");
        assertEquals(State.ACKNOWLEDGED, book.open().get(0).state());
        assertTrue(book.tick(now.plus(Duration.ofHours(2)), s -> false).isEmpty());
    }

    @Test
    void aMutedServiceOpensNothingButAnOpenAlertStillResolves() {
        for (int i = 0; i < 5; i++) {
            now = now.plusSeconds(1);
            assertFalse(book.observe(new Observation("backend", "api", false, "502", now, null, null, THREE_TWO), true).isPresent());
        }
        assertTrue(book.open().isEmpty());
        assertEquals(Kind.OPENED, feed(false, "502"), "once the mute ends, the next failure of the streak opens it");
    }

    @Test
    void aRestartKeepsOpenAlertsAndDoesNotOpenThemAgain() {
        feed(false, 3);
        long id = book.open().get(0).id();
        book = newBook();
        assertEquals(id, book.open().get(0).id());
        assertEquals(java.util.Arrays.asList(null, null, null, null), feed(false, 4), "still failing after the restart: nothing new");
        assertEquals(java.util.Arrays.asList(null, Kind.RESOLVED), feed(true, 2));
    }

    @Test
    void aDeployJustBeforeIsNamedAndItsPredecessorOffered() {
        DeployStore deploys = new DeployStore(db);
        deploys.record(1, "demo", "backend", "sha-0000000", "sha-1a2b3c4", "test:alice", null, "succeeded", true);
        deploys.record(2, "demo", "backend", "sha-1a2b3c4", "sha-badc0de", "test:bob", "carol", "failed", false);
        RecentDeploys.Context c = new RecentDeploys(deploys, new RunStore(db), "demo", Duration.ofMinutes(30)).around(Instant.now().plusSeconds(60));
        assertTrue(c.note().contains("backend sha-1a2b3c4 -> sha-badc0de by bob"), c.note());
        assertEquals("sha-1a2b3c4", c.rollbackTag());
        assertEquals(null, new RecentDeploys(deploys, new RunStore(db), "demo", Duration.ofMinutes(30)).around(Instant.now().plus(Duration.ofHours(2))).note(),
                "a deploy long before is not mentioned");
    }
}
