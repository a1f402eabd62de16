package dev.opsbot.core.button;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.MutableClock;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Buttons kept in a real H2 file: every kind comes back as it was offered, and rows of earlier releases still read. */
class PendingButtonsTest {
    private static final ChannelRef CHANNEL = ChannelRef.of("test", "ops");
    private static final UserRef ALICE = UserRef.of("test", "alice");
    private static final RunTicket TICKET = new RunTicket("deploy", Map.of("tag", "sha-5d6e7f8"), "deploy sha-5d6e7f8", "alice", "Alice");

    @TempDir
    Path dir;
    Database db;
    PendingButtons buttons;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("opsbot"));
        buttons = new PendingButtons(db, new MutableClock());
    }

    @AfterEach
    void close() {
        db.close();
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
                new Payload.SecretForm(9, "API_KEY"));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void everyKindComesBackAsOffered(Payload payload) {
        PendingButtons.Offer offer = buttons.offer(List.of(new PendingButtons.Choice("Press", Button.Style.PRIMARY, payload)),
                ALICE, CHANNEL, Duration.ofMinutes(5));
        ButtonState state = buttons.find(offer.buttons().get(0).token()).orElseThrow();
        assertEquals(payload, state.payload());
        assertEquals(ALICE.key(), state.requestedBy());
    }

    @Test
    void aGroupIsDecidedOnceWhicheverButtonIsPressed() {
        PendingButtons.Offer offer = buttons.offer(List.of(
                new PendingButtons.Choice("Confirm", Button.Style.PRIMARY, new Payload.Confirm(TICKET, Decision.CONFIRM)),
                new PendingButtons.Choice("Cancel", Button.Style.DEFAULT, new Payload.Confirm(TICKET, Decision.CANCEL))),
                ALICE, CHANNEL, Duration.ofMinutes(5));
        assertTrue(buttons.decide(offer.buttons().get(1).token(), ALICE, Decision.CANCEL));
        assertFalse(buttons.decide(offer.buttons().get(0).token(), ALICE, Decision.CONFIRM), "the second press finds it decided");
        ButtonState confirm = buttons.find(offer.buttons().get(0).token()).orElseThrow();
        assertEquals("cancelled", confirm.decision());
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
    @MethodSource("rowsOfTheFirstRelease")
    void buttonsOfferedBeforeAnUpgradeStillRead(String kind, String stored, Payload expected) {
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
}
