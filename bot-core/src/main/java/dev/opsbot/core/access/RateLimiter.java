package dev.opsbot.core.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/** At most N commands per person per minute, so a loop or a flood cannot queue work. */
public final class RateLimiter {
    private static final long WINDOW_MILLIS = Duration.ofMinutes(1).toMillis();

    private final int perMinute;
    private final Clock clock;
    private final Cache<String, Deque<Long>> recent = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(2)).maximumSize(100_000)
            // Housekeeping on the caller's thread rather than handed to the common pool for each command.
            .executor(Runnable::run).build();

    public RateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Records a command by {@code who}; false when they are over the limit. */
    public boolean allow(String who) {
        long now = clock.millis();
        Deque<Long> times = recent.get(who, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_MILLIS) times.pollFirst();
            if (times.size() >= perMinute) return false;
            times.addLast(now);
            return true;
        }
    }
}
