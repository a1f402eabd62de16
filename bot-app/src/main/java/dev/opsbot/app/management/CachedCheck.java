package dev.opsbot.app.management;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One part of readiness, asked at most once per {@code ttl} and never waited on for longer than
 * {@code timeout}: probes may come every second from several supervisors, and an engine that
 * hangs must make the answer "not ready", not a hung probe. A check still running when a probe
 * gives up is not started again until it ends.
 */
final class CachedCheck {
    private final String part;
    private final Supplier<Optional<String>> check;
    private final Duration ttl;
    private final Duration timeout;
    private final Executor executor;
    private Optional<String> last;
    private long lastAt;
    private CompletableFuture<Optional<String>> running;

    CachedCheck(String part, Supplier<Optional<String>> check, Duration ttl, Duration timeout, Executor executor) {
        this.part = part;
        this.check = check;
        this.ttl = ttl;
        this.timeout = timeout;
        this.executor = executor;
    }

    String part() {
        return part;
    }

    /** Why the part is not ready, or empty when it is. */
    synchronized Optional<String> problem() {
        if (last != null && System.nanoTime() - lastAt < ttl.toNanos()) return last;
        if (running == null) running = CompletableFuture.supplyAsync(this::ask, executor);
        try {
            last = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            lastAt = System.nanoTime();
            running = null;
            return last;
        } catch (TimeoutException e) {
            return Optional.of("did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            running = null;
            return Optional.of(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private Optional<String> ask() {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return Optional.of(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
    }
}
