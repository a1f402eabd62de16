package dev.opsbot.core.button;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.StoreException;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.StoreVendor;
import dev.opsbot.core.testing.Tries;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Buttons kept in a real H2 file and in PostgreSQL: every kind comes back as it was offered, rows of
 * earlier releases still read, and a group is decided once even when two replicas (two pools on one
 * database) are pressed at the same instant.
 */
class PendingButtonsTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    private static final ChannelRef CHANNEL = ChannelRef.of("test", "ops");
    private static final UserRef ALICE = UserRef.of("test", "alice");
    private static final RunTicket TICKET = new RunTicket("deploy", Map.of("tag", "sha-5d6e7f8"), "deploy sha-5d6e7f8", "alice", "Alice");

    @TempDir
    Path dir;
    String name;
    final MutableClock clock = new MutableClock();
    final List<Database> opened = new ArrayList<>();

    @BeforeEach
    void name() {
        name = POSTGRES.freshSchema();
    }

    /** A replica's view of the test's database: a pool of its own. */
    private Database open(StoreVendor vendor) {
        Database db = vendor.open(name, dir, POSTGRES);
        opened.add(db);
        return db;
    }

    private PendingButtons buttons(StoreVendor vendor) {
        return new PendingButtons(open(vendor), clock);
    }

    @AfterEach
    void close() {
        opened.forEach(Database::close);
    }

    static Stream<Arguments> everyKindOnEach() {
        return Stream.of(StoreVendor.values()).flatMap(v -> everyKind().map(p -> Arguments.of(v, p)));
    }

    static Stream<Payload> everyKind() {
        return Stream.of(
                new Payload.Confirm(TICKET, Decision.CONFIRM),
                new Payload.Confirm(TICKET, Decision.CANCEL),
                new Payload.Approval(TICKET, Decision.APPROVE),
                new Payload.Approval(TICKET, Decision.DENY),
                new Payload.Answer(12, 1),
                new Payload.Invoke("rollback sha-1a2b3c4"),
                new Payload.Acknowledge(7),
                new Payload.DenyReason("deny-token"),
                new Payload.Recover(3, Decision.RESUME, null),
                new Payload.Recover(3, Decision.ROLL_BACK, "sha-1a2b3c4"),
                new Payload.Recover(3, Decision.ACKNOWLEDGE, null),
                new Payload.SecretForm(9, "API_KEY"));
    }

    @ParameterizedTest
    @MethodSource("everyKindOnEach")
    void everyKindComesBackAsOffered(StoreVendor vendor, Payload payload) {
        PendingButtons buttons = buttons(vendor);
        PendingButtons.Offer offer = buttons.offer(List.of(new PendingButtons.Choice("Press", Button.Style.PRIMARY, payload)),
                ALICE, CHANNEL, Duration.ofMinutes(5));
        ButtonState state = buttons.find(offer.buttons().get(0).token()).orElseThrow();
        assertEquals(payload, state.payload());
        assertEquals(ALICE.key(), state.requestedBy());
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aGroupIsDecidedOnceWhicheverButtonIsPressed(StoreVendor vendor) {
        PendingButtons buttons = buttons(vendor);
        PendingButtons.Offer offer = buttons.offer(List.of(
                new PendingButtons.Choice("Confirm", Button.Style.PRIMARY, new Payload.Confirm(TICKET, Decision.CONFIRM)),
                new PendingButtons.Choice("Cancel", Button.Style.DEFAULT, new Payload.Confirm(TICKET, Decision.CANCEL))),
                ALICE, CHANNEL, Duration.ofMinutes(5));
        assertTrue(buttons.decide(offer.buttons().get(1).token(), ALICE, Decision.CANCEL));
        assertFalse(buttons.decide(offer.buttons().get(0).token(), ALICE, Decision.CONFIRM), "the second press finds it decided");
        ButtonState confirm = buttons.find(offer.buttons().get(0).token()).orElseThrow();
        assertEquals("cancelled", confirm.decision());
    }

    static Stream<Arguments> rowsOfTheFirstReleaseOnEach() {
        return Stream.of(StoreVendor.values()).flatMap(v -> rowsOfTheFirstRelease().map(a -> {
            List<Object> args = new ArrayList<>(List.of(v));
            args.addAll(List.of(a.get()));
            return Arguments.of(args.toArray());
        }));
    }

    static Stream<Arguments> rowsOfTheFirstRelease() {
        return Stream.of(
                Arguments.of("CONFIRM", "{\"runbook\":\"deploy\",\"params\":{\"tag\":\"sha-5d6e7f8\"},\"invocation\":\"deploy sha-5d6e7f8\","
                        + "\"decision\":\"confirm\",\"requesterId\":\"alice\",\"requesterName\":\"Alice\"}", new Payload.Confirm(TICKET, Decision.CONFIRM)),
                Arguments.of("APPROVAL", "{\"runbook\":\"deploy\",\"params\":{\"tag\":\"sha-5d6e7f8\"},\"invocation\":\"deploy sha-5d6e7f8\","
                        + "\"decision\":\"deny\",\"requesterId\":\"alice\",\"requesterName\":\"Alice\"}", new Payload.Approval(TICKET, Decision.DENY)),
                Arguments.of("CHOICE", "12:1", new Payload.Answer(12, 1)),
                Arguments.of("INVOKE", "logs backend --tail 50", new Payload.Invoke("logs backend --tail 50")),
                Arguments.of("ACK", "7", new Payload.Acknowledge(7)),
                Arguments.of("DENY_REASON", "tok", new Payload.DenyReason("tok")),
                Arguments.of("RECOVER", "{\"runId\":3,\"action\":\"rollback\",\"tag\":\"sha-1a2b3c4\"}",
                        new Payload.Recover(3, Decision.ROLL_BACK, "sha-1a2b3c4")),
                Arguments.of("SECRET_FORM", "9:API_KEY", new Payload.SecretForm(9, "API_KEY")));
    }

    @ParameterizedTest
    @MethodSource("rowsOfTheFirstReleaseOnEach")
    void buttonsOfferedBeforeAnUpgradeStillRead(StoreVendor vendor, String kind, String stored, Payload expected) {
        Database db = open(vendor);
        PendingButtons buttons = new PendingButtons(db, clock);
        Instant now = Instant.now();
        db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pending_actions (token, group_id, kind, payload, requested_by, "
                    + "channel, created_at, expires_at) VALUES ('t1', 'g1', ?, ?, 'test:alice', 'test:ops', ?, ?)")) {
                p.setString(1, kind);
                p.setString(2, stored);
                p.setTimestamp(3, Timestamp.from(now));
                p.setTimestamp(4, Timestamp.from(now.plusSeconds(600)));
                return p.executeUpdate();
            }
        });
        assertEquals(expected, buttons.find("t1").orElseThrow().payload());
    }

    /** A forged value is no button: PostgreSQL refused a NUL in the query, and the press was answered as a database failure. */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void aForgedTokenFindsNothing(StoreVendor vendor) {
        PendingButtons buttons = buttons(vendor);
        String token = buttons.offer(List.of(new PendingButtons.Choice("Ack", Button.Style.PRIMARY, new Payload.Acknowledge(7))),
                ALICE, CHANNEL, Duration.ofMinutes(5)).buttons().get(0).token();
        for (String forged : List.of(token + "\u0000", "\u0000", token.substring(0, 12) + "%", "' OR '1'='1", "", "x".repeat(65))) {
            assertEquals(Optional.empty(), buttons.find(forged), Tries.show(forged));
        }
        assertEquals(new Payload.Acknowledge(7), buttons.find(token).orElseThrow().payload());
    }

    /** A row damaged or edited by hand is a database failure that says which kind of button, in words. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "RECOVER  | {\"action\":\"resume\"}                   | a stored button (RECOVER) cannot be read: its stored form is damaged",
            "CONFIRM  | {\"runbook\":\"deploy\",\"params\":{\"tag\":5}} | a stored button (CONFIRM) cannot be read: its stored form is damaged",
            "APPROVAL | {\"runbook\":\"deploy\"}                  | a stored button (APPROVAL) cannot be read: its parameters are missing",
            "ACK      | seven                                        | a stored button (ACK) cannot be read: its stored form is damaged",
            "CONFIRM  | not json                                     | a stored button (CONFIRM) cannot be read: it is not JSON",
            "TELEPORT | {}                                           | a stored button (TELEPORT) cannot be read: its kind is unknown",
    })
    void aDamagedRowIsSaidInWords(String kind, String stored, String expected) {
        StoreException e = assertThrows(StoreException.class, () -> new PayloadCodec().decode(kind, stored));
        assertEquals(expected, e.getMessage());
    }

    /** Two replicas get the same press, or each a different button of the message, at the same instant: one run. */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void pressesRacingOnTwoReplicasDecideAGroupOnce(StoreVendor vendor) throws Exception {
        List<PendingButtons> replicas = List.of(buttons(vendor), buttons(vendor));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 30; round++) {
                PendingButtons.Offer offer = replicas.get(0).offer(List.of(
                        new PendingButtons.Choice("Confirm", Button.Style.PRIMARY, new Payload.Confirm(TICKET, Decision.CONFIRM)),
                        new PendingButtons.Choice("Cancel", Button.Style.DEFAULT, new Payload.Confirm(TICKET, Decision.CANCEL))),
                        ALICE, CHANNEL, Duration.ofMinutes(5));
                // Even rounds: the same Confirm delivered to both; odd rounds: Confirm on one, Cancel on the other.
                String first = offer.buttons().get(0).token();
                String second = offer.buttons().get(round % 2).token();
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Boolean> a = threads.submit(() -> {
                    together.await();
                    return replicas.get(0).decide(first, ALICE, Decision.CONFIRM);
                });
                Future<Boolean> b = threads.submit(() -> {
                    together.await();
                    return replicas.get(1).decide(second, UserRef.of("test", "bob"), Decision.CONFIRM);
                });
                int winners = (a.get(30, TimeUnit.SECONDS) ? 1 : 0) + (b.get(30, TimeUnit.SECONDS) ? 1 : 0);
                assertEquals(1, winners, "round " + round + ": exactly one press decides");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Two replicas closing expired buttons at once: each group's message is closed by one of them. */
    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void expiredGroupsAreClosedOnceWhenTwoReplicasExpireAtOnce(StoreVendor vendor) throws Exception {
        List<PendingButtons> replicas = List.of(buttons(vendor), buttons(vendor));
        for (int i = 0; i < 20; i++) {
            replicas.get(i % 2).offer(List.of(
                    new PendingButtons.Choice("Confirm", Button.Style.PRIMARY, new Payload.Confirm(TICKET, Decision.CONFIRM)),
                    new PendingButtons.Choice("Cancel", Button.Style.DEFAULT, new Payload.Confirm(TICKET, Decision.CANCEL))),
                    ALICE, CHANNEL, Duration.ofMinutes(5));
        }
        clock.advance(Duration.ofMinutes(6));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            List<Future<List<ButtonState>>> closed = new ArrayList<>();
            for (PendingButtons replica : replicas) {
                closed.add(threads.submit(() -> {
                    together.await();
                    return replica.expireDue();
                }));
            }
            List<String> groups = new ArrayList<>();
            for (Future<List<ButtonState>> f : closed) f.get(30, TimeUnit.SECONDS).forEach(s -> groups.add(s.groupId()));
            assertEquals(20, groups.size(), "every group closed, none twice: " + groups);
            assertEquals(20, groups.stream().distinct().count());
        } finally {
            threads.shutdownNow();
        }
    }
}
