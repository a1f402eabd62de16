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
 * A run's step deadline: each step runs on its own thread and is stopped when it outlasts its
 * timeout (with ten seconds' grace for its own cleanup); while a step waits for a person, the
 * deadline is held, so an answer does not count against the step's time.
 */
final class StepClock {
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final Duration GRACE = Duration.ofSeconds(10);

    private volatile long deadline = NO_DEADLINE;
    private volatile Duration timeout;

    StepClock(Duration timeout) {
        this.timeout = timeout;
    }

    /** The running step's timeout (the runbook's when no step runs). */
    Duration timeout() {
        return timeout;
    }

    /** Runs {@code work} on {@code threads} within {@code limit}; returns null on success or what went wrong. */
    String run(ExecutorService threads, Duration limit, Callable<Void> work) {
        Duration previous = timeout;
        long previousDeadline = deadline;
        timeout = limit;
        deadline = System.nanoTime() + limit.toNanos() + GRACE.toNanos();
        Future<?> running = threads.submit(work);
        try {
            while (true) {
                try {
                    running.get(250, TimeUnit.MILLISECONDS);
                    return null;
                } catch (TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        running.cancel(true);
                        return "took longer than " + Durations.human(limit) + " and was stopped";
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
    <T> T paused(Waiting<T> body) throws InterruptedException {
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
