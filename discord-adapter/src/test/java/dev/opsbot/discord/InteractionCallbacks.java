package dev.opsbot.discord;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Discord's rule for an interaction's initial response, when several gateway connections of one
 * bot all receive it: the first callback is taken, every later one is refused with HTTP 400 and
 * code 40060 ("Interaction has already been acknowledged"). Remembers which replica answered.
 */
public final class InteractionCallbacks {
    /** HTTP status and Discord error code of a second initial response. */
    static final int STATUS = 400;
    static final int ALREADY_ACKNOWLEDGED = 40060;
    static final String MESSAGE = "Interaction has already been acknowledged.";

    /** One initial response: who sent it, of which callback type (5 deferred reply, 6 deferred update …). */
    public record Callback(String interactionId, String replica, int type, Instant at) { }

    private final Map<String, Callback> taken = new ConcurrentHashMap<>();
    private final List<Callback> refused = new CopyOnWriteArrayList<>();

    /** Whether this callback is the interaction's first (taken) rather than a later one (refused). */
    boolean take(Callback callback) {
        if (taken.putIfAbsent(callback.interactionId(), callback) == null) return true;
        refused.add(callback);
        return false;
    }

    /** The replica whose initial response Discord took, if any did. */
    public Optional<String> answeredBy(String interactionId) {
        return Optional.ofNullable(taken.get(interactionId)).map(Callback::replica);
    }

    /** Initial responses refused as second ones, in the order they came. */
    public List<Callback> refused() {
        return List.copyOf(refused);
    }
}
