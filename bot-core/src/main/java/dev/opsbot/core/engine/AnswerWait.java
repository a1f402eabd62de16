package dev.opsbot.core.engine;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A run waiting for a person: the answer arrives on this replica's {@code answer}, or is read
 * from the database when another replica received it, looked for every {@link #POLL}.
 */
final class AnswerWait {
    private static final Duration POLL = Duration.ofMillis(300);

    private AnswerWait() {
    }

    /** The answer given here or elsewhere before {@code deadline} ({@link System#nanoTime()}); a timeout after it. */
    static <T> T await(CompletableFuture<T> answer, long deadline, Supplier<Optional<T>> givenElsewhere)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new TimeoutException();
            try {
                return answer.get(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                givenElsewhere.get().ifPresent(answer::complete);
            }
        }
    }
}
