package dev.opsbot.core.engine;

import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.failure.FailureText;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A run's steps on the engine's step threads, each within its timeout (and ten seconds of grace
 * for a step that ends itself); the timeout is held while a step waits for a person, whose
 * answer does not count against it. A nested step's timeout replaces its parent's while it runs.
 */
final class StepTimer {
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final ExecutorService threads;
    private volatile long deadline = NO_DEADLINE;
    private volatile Duration timeout;

    StepTimer(ExecutorService threads, Duration timeout) {
        this.threads = threads;
        this.timeout = timeout;
    }

    /** The timeout of the step running now. */
    Duration timeout() {
        return timeout;
    }

    /** Runs {@code work} on a step thread within {@code stepTimeout}; null on success, or what went wrong. */
    String run(Duration stepTimeout, Callable<Void> work) {
        Duration previous = timeout;
        long previousDeadline = deadline;
        timeout = stepTimeout;
        deadline = System.nanoTime() + stepTimeout.toNanos() + GRACE.toNanos();
        Future<?> running = threads.submit(work);
        try {
            while (true) {
                try {
                    running.get(250, TimeUnit.MILLISECONDS);
                    return null;
                } catch (TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        running.cancel(true);
                        return "took longer than " + Durations.human(stepTimeout) + " and was stopped";
                    }
                }
            }
        } catch (ExecutionException e) {
            return FailureText.of(e.getCause());
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            timeout = previous;
            deadline = previousDeadline;
        }
    }

    /** Runs {@code body} with the deadline held; the step gets its whole timeout again after it. */
    <T> T held(Waiting<T> body) throws InterruptedException {
        long saved = deadline;
        deadline = NO_DEADLINE;
        try {
            return body.get();
        } finally {
            deadline = saved == NO_DEADLINE ? NO_DEADLINE : System.nanoTime() + timeout.toNanos();
        }
    }

    @FunctionalInterface
    interface Waiting<T> {
        T get() throws InterruptedException;
    }
}
