package dev.opsbot.core.dockerjava;

import dev.opsbot.core.docker.ServiceContainer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The containers of each project as lately listed for a question people asked in chat: a burst
 * of {@code /ops ps} during an incident lists once a second instead of once a question. A listing
 * is handed out again for at most {@link #FRESH_FOR}, and never once the bot has begun to change
 * anything through this engine since it was taken: the bot's own deploys and restarts show at
 * once; changes made outside the bot, health turning, another replica's runs and an engine that
 * went away show within that second. Only questions share: what a step listed is not handed to
 * them, so the first question after a quiet while always asks the engine.
 */
final class RecentListings {
    static final Duration FRESH_FOR = Duration.ofSeconds(1);

    /** A listing, with the change count it was taken under and when it was begun. */
    private record Listing(long changes, long begunAtNanos, List<ServiceContainer> containers) { }

    private final AtomicLong changes = new AtomicLong();
    private final Map<String, Listing> byProject = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    RecentListings(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The project's listing if a fresh one is known, else {@code list}'s, remembered. */
    List<ServiceContainer> recent(String project, Supplier<List<ServiceContainer>> list) {
        Listing known = byProject.get(project);
        if (known != null && known.changes() == changes.get() && nanoTime.getAsLong() - known.begunAtNanos() < FRESH_FOR.toNanos()) {
            return known.containers();
        }
        // Dated from before the call, so it is never taken for newer than it is.
        long count = changes.get();
        long begun = nanoTime.getAsLong();
        List<ServiceContainer> containers = list.get();
        byProject.put(project, new Listing(count, begun, containers));
        return containers;
    }

    /** Runs a change to containers or images; listings taken before it ends are not handed out again. */
    <T> T change(Supplier<T> change) {
        // Counted on both sides: a listing begun while the change runs is as old as the change's start.
        changes.incrementAndGet();
        try {
            return change.get();
        } finally {
            changes.incrementAndGet();
        }
    }

    void change(Runnable change) {
        change(() -> {
            change.run();
            return null;
        });
    }
}
