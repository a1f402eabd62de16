package dev.opsbot.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one interaction left for answering it later, under the key the core sees as
 * {@code Origin.interactionId}: its response URL (valid 30 minutes, for ephemeral answers) and
 * its trigger id (valid a few seconds, for opening a modal).
 */
final class Interactions {

    /** Slack accepts a response URL for 30 minutes. */
    static final Duration RESPONSE_URL_LIFETIME = Duration.ofMinutes(30);
    /** Slack accepts a trigger id for 3 seconds; kept a little longer so late use gets Slack's own answer. */
    static final Duration TRIGGER_LIFETIME = Duration.ofMinutes(1);

    record Interaction(String responseUrl, String triggerId, long createdNanos) {
        boolean triggerFresh() {
            return triggerId != null && System.nanoTime() - createdNanos < TRIGGER_LIFETIME.toNanos();
        }
    }

    private final Cache<String, Interaction> byId = Caffeine.newBuilder()
            .expireAfterWrite(RESPONSE_URL_LIFETIME)
            .maximumSize(10_000)
            // Housekeeping on the caller's thread, not handed to the common pool for each interaction.
            .executor(Runnable::run)
            .build();
    /**
     * Keys are this process's random prefix and a counter: unique, also across restarts, without
     * asking the system's random source for every command.
     */
    private final String prefix = UUID.randomUUID() + "-";
    private final AtomicLong next = new AtomicLong();

    /** Remembers an interaction and returns its key; null when there is nothing to remember. */
    String remember(String responseUrl, String triggerId) {
        if (responseUrl == null && triggerId == null) return null;
        String id = prefix + next.incrementAndGet();
        byId.put(id, new Interaction(responseUrl, triggerId, System.nanoTime()));
        return id;
    }

    Optional<Interaction> find(String interactionId) {
        return interactionId == null ? Optional.empty() : Optional.ofNullable(byId.getIfPresent(interactionId));
    }
}
