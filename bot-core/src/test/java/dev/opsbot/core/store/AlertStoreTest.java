package dev.opsbot.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.StoreVendor;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Alerts, their messages and mutes, on an H2 file and on PostgreSQL. */
class AlertStoreTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @TempDir
    Path dir;

    private static AlertRecord failing(String service, Long eventNanos) {
        return new AlertRecord(0, "demo", service, "healthcheck", "critical", AlertRecord.State.OPEN, true, NOW, eventNanos, NOW,
                null, "curl: (7) Failed to connect", 1, "deployed sha-5d6e7f8 2 min before", "sha-1a2b3c4", null, null, NOW, NOW, null);
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void anAlertComesBackAsStoredThroughItsLife(StoreVendor vendor) {
        try (Database db = vendor.open(POSTGRES.freshSchema(), dir, POSTGRES)) {
            AlertStore alerts = new AlertStore(db);
            AlertRecord backend = alerts.insert(failing("backend", 1_712_000_000_123_456_789L));
            AlertRecord worker = alerts.insert(failing("worker", null));
            assertEquals(backend.id() + 1, worker.id());
            assertEquals(Optional.of(backend), alerts.find(backend.id()));
            assertEquals(Optional.of(worker), alerts.find(worker.id()), "no event time stays none");

            AlertRecord acked = backend.posted(NOW.plusSeconds(1)).acknowledgedBy("slack:U1", NOW.plusSeconds(5));
            alerts.update(acked);
            alerts.update(worker.withState(AlertRecord.State.RESOLVED, false, NOW.plusSeconds(9)));

            assertEquals(List.of(acked), alerts.open("demo"));
            assertEquals(AlertRecord.State.RESOLVED, alerts.latest("demo", "worker", "healthcheck").orElseThrow().state());
            AlertRecord again = alerts.insert(failing("worker", null));
            assertEquals(Optional.of(again), alerts.latest("demo", "worker", "healthcheck"), "the newest of the check");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aPostIsReplacedInItsChannelAndAMuteUntilItEnds(StoreVendor vendor) {
        try (Database db = vendor.open(POSTGRES.freshSchema(), dir, POSTGRES)) {
            AlertStore alerts = new AlertStore(db);
            alerts.savePost(new AlertStore.Post(7, "slack:C1", "1712.0001", "Acknowledge\ttok1\tprimary"));
            alerts.savePost(new AlertStore.Post(7, "discord:42", "99", "Acknowledge\ttok2\tprimary"));
            alerts.savePost(new AlertStore.Post(7, "slack:C1", "1712.0002", "Acknowledge\ttok3\tprimary"));
            assertEquals(List.of(new AlertStore.Post(7, "discord:42", "99", "Acknowledge\ttok2\tprimary"),
                    new AlertStore.Post(7, "slack:C1", "1712.0002", "Acknowledge\ttok3\tprimary")), alerts.posts(7));

            alerts.mute(new AlertStore.Mute("demo", "backend", NOW.plusSeconds(60), "slack:U1"));
            alerts.mute(new AlertStore.Mute("demo", "backend", NOW.plusSeconds(600), "slack:U2"));
            alerts.mute(new AlertStore.Mute("demo", "worker", NOW.plusSeconds(60), "slack:U1"));
            assertEquals(List.of(new AlertStore.Mute("demo", "backend", NOW.plusSeconds(600), "slack:U2"),
                    new AlertStore.Mute("demo", "worker", NOW.plusSeconds(60), "slack:U1")), alerts.mutes("demo", NOW));
            assertEquals(List.of("backend"), alerts.mutes("demo", NOW.plusSeconds(120)).stream().map(AlertStore.Mute::service).toList());
            alerts.unmute("demo", "backend");
            assertTrue(alerts.mutes("demo", NOW.plusSeconds(120)).isEmpty());
        }
    }
}
