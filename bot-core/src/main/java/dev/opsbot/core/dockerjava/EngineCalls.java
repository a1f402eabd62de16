package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.opsbot.core.docker.DockerException;
import org.apache.hc.core5.http.NoHttpResponseException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way this package calls its engine: whatever docker-java throws comes out translated
 * by {@link EngineFailures}, streams are bounded in time and closed when they run over or are
 * interrupted. {@code what} names the operation and its subject for the message:
 * "pull registry/backend:v2", "restart backend (container shop-backend-1)".
 */
final class EngineCalls {
    /** More than the idle connections the bot's own use keeps open to one engine, most of the time. */
    private static final int STALE_CONNECTIONS_TRIED = 8;
    private final EngineFailures failures;

    EngineCalls(EngineFailures failures) {
        this.failures = failures;
    }

    <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw failures.translate(what, e);
        }
    }

    /**
     * A call that only reads. After the engine restarted, the connections kept open to it are dead
     * and each fails once without an answer (the pool only finds out by using them): a read is
     * asked again on a fresh one, a few times, before the engine is taken as unreachable.
     */
    <T> T read(String what, Supplier<T> action) {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                if (attempt >= STALE_CONNECTIONS_TRIED || !closedWithoutAnswer(e)) throw failures.translate(what, e);
            }
        }
    }

    private static boolean closedWithoutAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoHttpResponseException) return true;
        }
        return false;
    }

    void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /** A lookup where absence is an answer: empty when the engine has no such thing. */
    <T> Optional<T> find(String what, Supplier<T> action) {
        try {
            return Optional.ofNullable(action.get());
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw failures.translate(what, e);
        }
    }

    /**
     * An action whose target may already be as wanted, or busy: false when the engine answers one of
     * the {@code expected} refusals (NotFoundException: gone already; NotModifiedException: stopped
     * already; ConflictException: still in use), instead of a failure.
     */
    @SafeVarargs
    final boolean attempt(String what, Runnable action, Class<? extends RuntimeException>... expected) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            for (Class<? extends RuntimeException> answer : expected) {
                if (answer.isInstance(e)) return false;
            }
            throw failures.translate(what, e);
        }
    }

    /** A call that must be answered within {@code timeout}, or the engine is taken as not answering. */
    <T> T within(String what, Duration timeout, Supplier<T> action) {
        CompletableFuture<T> answer = CompletableFuture.supplyAsync(action);
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw failures.noAnswer(what, timeout, e);
        } catch (ExecutionException e) {
            throw failures.translate(what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.interrupted(what, e);
        }
    }

    /**
     * Starts a streaming call with {@code start} and waits until its stream ends, at most
     * {@code timeout}; a stream that runs over or is interrupted is closed.
     */
    <C extends ResultCallback.Adapter<?>> C stream(String what, C callback, Consumer<C> start, Duration timeout) {
        try {
            start.accept(callback);
            if (callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) return callback;
            closeQuietly(callback);
            throw failures.tookTooLong(what, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(callback);
            throw failures.interrupted(what, e);
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(callback);
            throw failures.translate(what, e);
        }
    }

    /**
     * Starts a stream that stays open (the event stream) and returns it once the engine has
     * accepted it; a stream that ends before it opened is a failure, {@code failure} telling why
     * where the callback kept it.
     */
    <C extends ResultCallback.Adapter<?>> C open(String what, C callback, Consumer<C> start, Function<C, Throwable> failure)
            throws InterruptedException {
        try {
            start.accept(callback);
            while (!callback.awaitStarted(200, TimeUnit.MILLISECONDS)) {
                if (callback.awaitCompletion(0, TimeUnit.MILLISECONDS)) throw failures.closedEarly(what, failure.apply(callback));
            }
            return callback;
        } catch (InterruptedException e) {
            closeQuietly(callback);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(callback);
            throw failures.translate(what, e);
        }
    }

    static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a stream we gave up on
        }
    }
}
