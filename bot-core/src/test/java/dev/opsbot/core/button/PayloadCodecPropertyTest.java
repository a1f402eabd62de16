package dev.opsbot.core.button;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.button.Payload.Acknowledge;
import dev.opsbot.core.button.Payload.Answer;
import dev.opsbot.core.button.Payload.Approval;
import dev.opsbot.core.button.Payload.Confirm;
import dev.opsbot.core.button.Payload.DenyReason;
import dev.opsbot.core.button.Payload.Invoke;
import dev.opsbot.core.button.Payload.Recover;
import dev.opsbot.core.button.Payload.SecretForm;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.StoreException;
import dev.opsbot.core.testing.ClearMessage;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.RandomText;
import dev.opsbot.core.testing.StoreVendor;
import dev.opsbot.core.testing.Tries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Buttons as tokens, on generated input: every payload comes back from its stored form as it
 * was, any stored text reads as a payload or as a database failure that says which button, and
 * any token a platform hands over finds its own button or nothing (on H2 and PostgreSQL).
 */
@Tag("property")
class PayloadCodecPropertyTest {
    static final int TRIES = 10_000;
    static final int TOKENS = 2_000;
    private static final List<String> KINDS = List.of("CONFIRM", "APPROVAL", "CHOICE", "INVOKE", "ACK", "DENY_REASON", "RECOVER",
            "SECRET_FORM", "confirm", "", "OTHER");

    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @TempDir
    Path dir;
    private final PayloadCodec codec = new PayloadCodec();

    @Test
    void everyPayloadComesBackFromItsStoredForm() {
        Tries.check(TRIES, PayloadCodecPropertyTest::payload, payload -> {
            PayloadCodec.Stored stored = codec.encode(payload);
            assertEquals(payload, codec.decode(stored.kind(), stored.text()));
        });
    }

    @Test
    void anyStoredTextIsAPayloadOrAFailureSaidInWords() {
        Tries.check(TRIES, r -> {
            String kind = RandomText.pick(r, KINDS);
            String text = switch (r.nextInt(3)) {
                case 0 -> RandomText.any(r, 200);
                case 1 -> RandomText.mutate(r, codec.encode(payload(r)).text());
                default -> RandomText.pick(r, List.of("null", "{}", "[]", "1", "{\"runId\":\"x\"}", "{\"params\":{\"tag\":5}}",
                        "{\"params\":[1]}", "{\"runId\":1e400}", "{\"runId\":18446744073709551616}", ":", "1:", ":1", "x:y"));
            };
            return new Stored(kind, text);
        }, stored -> {
            Payload p;
            try {
                p = codec.decode(stored.kind(), stored.text());
            } catch (StoreException e) {
                assertTrue(e.getMessage().startsWith("a stored button (" + stored.kind() + ") cannot be read: "), e.getMessage());
                ClearMessage.check("the failure", e.getMessage());
                return;
            }
            assertTypesHold(p);
        });
    }

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void anyTokenFindsItsOwnButtonOrNothing(StoreVendor vendor) {
        try (Database db = vendor.open(POSTGRES.freshSchema(), dir, POSTGRES)) {
            PendingButtons buttons = new PendingButtons(db, new MutableClock());
            List<PendingButtons.Choice> choices = new ArrayList<>();
            Random setup = new Random(Tries.seed());
            // Without NUL, which PostgreSQL's text cannot hold: what buttons carry is made by the bot or checked before.
            for (int i = 0; i < 8; i++) choices.add(new PendingButtons.Choice("b" + i, Button.Style.PRIMARY, withoutNul(setup)));
            PendingButtons.Offer offer = buttons.offer(choices, UserRef.of("test", "alice"), ChannelRef.of("test", "ops"), Duration.ofHours(1));
            Map<String, Payload> offered = new LinkedHashMap<>();
            for (int i = 0; i < choices.size(); i++) offered.put(offer.buttons().get(i).token(), choices.get(i).payload());
            List<String> tokens = List.copyOf(offered.keySet());
            Tries.check(TOKENS, r -> token(r, tokens), Tries::shorter, token -> {
                Optional<ButtonState> found = buttons.find(token);
                if (offered.containsKey(token)) {
                    assertEquals(offered.get(token), found.orElseThrow().payload());
                } else {
                    assertEquals(Optional.empty(), found);
                }
            });
        }
    }

    private record Stored(String kind, String text) { }

    /** What a platform might hand over as a button's value: ours, ours altered, or anything. */
    private static String token(Random r, List<String> tokens) {
        String ours = RandomText.pick(r, tokens);
        return switch (r.nextInt(6)) {
            case 0 -> ours;
            case 1 -> RandomText.mutate(r, ours);
            case 2 -> ours.toUpperCase();
            case 3 -> RandomText.pick(r, List.of("' OR '1'='1", "%", "_", ours.substring(0, 10) + "%", "\u0000", ours + "\u0000", "",
                    ours + " ", " " + ours, ours.repeat(3), "x".repeat(64), "x".repeat(65)));
            default -> RandomText.any(r, 80);
        };
    }

    /** A decoded payload's fields hold what their types say (a stored {"tag": 5} is no text). */
    private static void assertTypesHold(Payload p) {
        if (p instanceof Confirm c) assertTicket(c.ticket());
        if (p instanceof Approval a) assertTicket(a.ticket());
    }

    private static void assertTicket(RunTicket t) {
        for (Map.Entry<String, String> e : t.params().entrySet()) {
            Object value = e.getValue();
            assertTrue(value instanceof String, "parameter " + e.getKey() + " is " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        for (Object field : new Object[] {t.runbook(), t.invocation(), t.requesterId(), t.requesterName()}) {
            if (field != null) assertTrue(field instanceof String, "a ticket's field is " + field.getClass().getSimpleName());
        }
    }

    private static Payload withoutNul(Random r) {
        while (true) {
            Payload p = payload(r);
            if (new PayloadCodec().encode(p).text().indexOf(0) < 0) return p;
        }
    }

    /** A payload of any kind with any values its constructor takes. */
    static Payload payload(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new Confirm(ticket(r), r.nextBoolean() ? Decision.CONFIRM : Decision.CANCEL);
            case 1 -> new Approval(ticket(r), r.nextBoolean() ? Decision.APPROVE : Decision.DENY);
            case 2 -> new Answer(r.nextLong(), r.nextInt());
            case 3 -> new Invoke(text(r));
            case 4 -> new Acknowledge(r.nextLong());
            case 5 -> new DenyReason(text(r));
            case 6 -> r.nextBoolean() ? new Recover(r.nextLong(), Decision.RESUME, r.nextBoolean() ? null : text(r))
                    : new Recover(r.nextLong(), Decision.ROLL_BACK, text(r));
            default -> new SecretForm(r.nextLong(), text(r));
        };
    }

    private static RunTicket ticket(Random r) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) params.put(text(r), text(r));
        return new RunTicket(text(r), params, text(r), r.nextInt(5) == 0 ? null : text(r), r.nextInt(5) == 0 ? null : text(r));
    }

    /** Any text a chat platform can carry (valid Unicode: JSON from a platform has no half surrogate pairs). */
    private static String text(Random r) {
        String t = RandomText.any(r, 60).replaceAll("\\p{Cs}", "\ufffd");
        return r.nextInt(10) == 0 ? t + ":" + t + "{\"\\" : t;
    }
}
