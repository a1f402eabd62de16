package dev.opsbot.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.store.PendingAction;
import dev.opsbot.core.store.PendingActionStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Makes buttons whose tokens are random ids of state kept in the database, and reads that
 * state back on a press. A token says nothing about what it does: a forged or replayed one
 * finds nothing, or finds a decided group.
 */
public final class PendingButtons {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PendingActionStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public PendingButtons(PendingActionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** One button of an offer: its label, style and what it carries. */
    public record Choice(String label, Button.Style style, String payload) { }

    /** The buttons of one message; deciding one decides them all. */
    public record Offer(String groupId, List<Button> buttons, Instant expiresAt) { }

    public Offer offer(ButtonKind kind, List<Choice> choices, UserRef requester, ChannelRef channel, Duration ttl) {
        String group = newToken();
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        List<Button> buttons = new ArrayList<>();
        for (Choice c : choices) {
            String token = newToken();
            store.save(new PendingAction(token, group, kind.name(), c.payload(), requester.key(), channel.toString(),
                    null, now, expires, null, null, null));
            buttons.add(new Button(c.label(), token, c.style()));
        }
        return new Offer(group, buttons, expires);
    }

    public void posted(Offer offer, MessageRef message) {
        store.attachMessage(offer.groupId(), message.id());
    }

    public Optional<PendingAction> find(String token) {
        if (token == null || token.length() > 64) return Optional.empty();
        return store.find(token);
    }

    /** Decides the token's group for {@code by}; false when someone else got there first or it expired. */
    public boolean decide(String token, UserRef by, String decision) {
        return store.decide(token, by.key(), decision, clock.instant());
    }

    public List<PendingAction> expireDue() {
        return store.expireDue(clock.instant());
    }

    public Instant now() {
        return clock.instant();
    }

    private String newToken() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static <T> T fromJson(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored button state is unreadable", e);
        }
    }
}
