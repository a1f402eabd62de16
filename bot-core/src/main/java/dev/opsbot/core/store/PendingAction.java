package dev.opsbot.core.store;

import java.time.Instant;

/**
 * The state behind a button: what pressing it does ({@code kind} + {@code payload}), who asked,
 * when it expires, and whether it (or a button of the same group) has been decided.
 */
public record PendingAction(String token, String groupId, String kind, String payload, String requestedBy,
                            String channel, String messageId, Instant createdAt, Instant expiresAt,
                            String decidedBy, Instant decidedAt, String decision) {

    public boolean decided() {
        return decidedBy != null;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
