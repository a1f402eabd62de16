package dev.opsbot.core.button;

import java.time.Instant;

/**
 * The state behind one button: what pressing it does, who asked, where, when it expires, and
 * whether it (or another button of its message) has been decided.
 */
public record ButtonState(String token, String groupId, Payload payload, String requestedBy, String channel, String messageId,
                          Instant createdAt, Instant expiresAt, String decidedBy, Instant decidedAt, String decision) {

    public boolean decided() {
        return decidedBy != null;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whether an alert offered this button (it stays usable while the alert is open, and expires no message). */
    public boolean fromAlert() {
        return PendingButtons.ALERTS.key().equals(requestedBy);
    }
}
