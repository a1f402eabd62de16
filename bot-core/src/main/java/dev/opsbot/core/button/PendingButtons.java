package dev.opsbot.core.button;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes buttons whose tokens are random ids of state kept in the database, and reads that
 * state back on a press. A token says nothing about what it does: a forged or replayed one
 * finds nothing, or finds a decided group.
 */
public final class PendingButtons {
    /** The "requester" of an alert's buttons; tells them from a person's. */
    public static final UserRef ALERTS = new UserRef("opsbot", "alerts", "opsbot alerts", Set.of());
    /** Who decides a group that nobody pressed in time. */
    public static final String EXPIRY = "opsbot";
    /**
     * What every token {@link #newToken()} makes looks like (and every earlier release made): anything
     * else is no button of ours, found so without asking the database (PostgreSQL refuses a NUL in a
     * query parameter with an error, which would answer a forged press as a database failure).
     */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ButtonStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public PendingButtons(Database db, Clock clock) {
        this.store = new ButtonStore(db);
        this.clock = clock;
    }

    /** One button of an offer: its label, style and what pressing it does. */
    public record Choice(String label, Button.Style style, Payload payload) { }

    /** The buttons of one message; deciding one decides them all. */
    public record Offer(String groupId, List<Button> buttons, Instant expiresAt) { }

    public Offer offer(List<Choice> choices, UserRef requester, ChannelRef channel, Duration ttl) {
        String group = newToken();
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        List<Button> buttons = new ArrayList<>();
        for (Choice c : choices) {
            String token = newToken();
            store.save(new ButtonState(token, group, c.payload(), requester.key(), channel.toString(),
                    null, now, expires, null, null, null));
            buttons.add(new Button(c.label(), token, c.style()));
        }
        return new Offer(group, buttons, expires);
    }

    /** Remembers the message the offer's buttons were posted on (expiry and decisions update it). */
    public void posted(Offer offer, MessageRef message) {
        store.attachMessage(offer.groupId(), message.id());
    }

    /** Every button of one message (one group). */
    public List<ButtonState> group(String groupId) {
        return store.group(groupId);
    }

    public Optional<ButtonState> find(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) return Optional.empty();
        return store.find(token);
    }

    /** Decides the token's group for {@code by}, atomically: false when someone got there first or it expired. */
    public boolean decide(String token, UserRef by, Decision decision) {
        return store.decide(token, by.key(), decision.word(), clock.instant());
    }

    /** The button whose press decided the group: how a run waiting on one replica hears the answer pressed on another. */
    public Optional<ButtonState> chosen(String groupId) {
        return store.chosen(groupId);
    }

    /** A private form of this group waits for a value; another replica that receives it seals it to {@code publicKey}. */
    public void expectSealed(String groupId, String publicKey) {
        store.expectSealed(groupId, publicKey);
    }

    /** The public key the form's value is to be sealed to, while its run waits. */
    public Optional<String> sealingKey(String groupId) {
        return store.sealingKey(groupId);
    }

    /** Hands a sealed value to the run waiting on another replica; false when none waits any more. */
    public boolean deliverSealed(String groupId, String sealed) {
        return store.deliverSealed(groupId, sealed);
    }

    /** The sealed value, once delivered; taking it removes it from the database. */
    public Optional<String> takeSealed(String groupId) {
        return store.takeSealed(groupId);
    }

    /** The form no longer waits: its key and any sealed value are removed. */
    public void stopExpecting(String groupId) {
        store.stopExpecting(groupId);
    }

    /** Closes every group past its expiry that nobody decided; one button of each, so their messages can say so. */
    public List<ButtonState> expireDue() {
        return store.expireDue(clock.instant());
    }

    /** Confirmations asked and not yet decided or expired (one per message). */
    public int waitingConfirmations() {
        return store.undecidedGroups(PayloadCodec.CONFIRM, clock.instant());
    }

    /** Approval requests not yet decided or expired (one per message). */
    public int waitingApprovals() {
        return store.undecidedGroups(PayloadCodec.APPROVAL, clock.instant());
    }

    public Instant now() {
        return clock.instant();
    }

    private String newToken() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
