package dev.opsbot.app.management;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Whether the bot can do its work: every part (each environment's database and engine, each
 * chat adapter) answers. Each part's answer is kept for {@code ttl}, so probes are cheap. Beside
 * it, which replica this is and which environments it leads: a follower is as ready as a leader.
 */
public final class Readiness implements AutoCloseable {
    /** Answers kept this long: a probe every second costs one engine ping every few seconds. */
    public static final Duration TTL = Duration.ofSeconds(3);
    /** A part that has not answered after this long is not ready. */
    public static final Duration TIMEOUT = Duration.ofSeconds(4);

    private final Duration ttl;
    private final Duration timeout;
    private final List<CachedCheck> checks = new ArrayList<>();
    private volatile String replica;
    private volatile Supplier<Map<String, Leading>> leadership = Map::of;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "opsbot-readiness");
        t.setDaemon(true);
        return t;
    });

    public Readiness() {
        this(TTL, TIMEOUT);
    }

    public Readiness(Duration ttl, Duration timeout) {
        this.ttl = ttl;
        this.timeout = timeout;
    }

    /** Adds a part: {@code check} says why it is not ready, or empty. */
    public Readiness check(String part, Supplier<Optional<String>> check) {
        synchronized (checks) {
            checks.add(new CachedCheck(part, check, ttl, timeout, executor));
        }
        return this;
    }

    /** Which replica this is, and whether it leads each environment (asked at each report; it reads no database). */
    public Readiness leadership(String replica, Supplier<Map<String, Leading>> byEnvironment) {
        this.replica = replica;
        this.leadership = byEnvironment;
        return this;
    }

    /** Every part's state: "ok" or why not, in the order they were added. */
    public Report report() {
        List<CachedCheck> now;
        synchronized (checks) {
            now = List.copyOf(checks);
        }
        Map<String, String> parts = new LinkedHashMap<>();
        // Parts are asked one after the other: a slow engine then delays the answer by at most
        // its timeout, and readiness never runs more than one probe's checks at once.
        for (CachedCheck c : now) parts.put(c.part(), c.problem().orElse(Report.OK));
        return new Report(parts, replica, leadership.get());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Each part and "ok" or why it is not ready; this replica's id and whether it leads each environment (none when not told). */
    public record Report(Map<String, String> parts, String replica, Map<String, Leading> leadership) {
        static final String OK = "ok";

        public boolean ready() {
            return parts.values().stream().allMatch(OK::equals);
        }

        /** Each part and whether it is ready. */
        public Map<String, Boolean> readiness() {
            Map<String, Boolean> out = new LinkedHashMap<>();
            parts.forEach((k, v) -> out.put(k, OK.equals(v)));
            return out;
        }
    }
}
