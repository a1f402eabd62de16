package dev.opsbot.core.dispatch;

import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.telemetry.LogContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where commands, presses and forms wait for one of the bot's dispatch threads: the adapter's
 * thread only queues, and every failure of the work is answered by {@link FailureAnswers}. What
 * the work logs names the environment and the person.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** About a second of commands at the rate two cores handle them; beyond it new commands are refused as busy. */
    private static final int MAX_WAITING = 100;

    private final FailureAnswers failures;
    private final String environment;
    private final AtomicInteger inFlight = new AtomicInteger();
    // The lowest priority, so that under a flood of commands the adapters' threads that
    // acknowledge them (within the platform's 3 s) still get the processor first; the launcher
    // lets the JVM pass Java priorities to the OS (-XX:ThreadPriorityPolicy=1).
    private final ExecutorService work = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "opsbot-dispatch");
        t.setPriority(Thread.MIN_PRIORITY);
        t.setDaemon(true);
        return t;
    });

    public Dispatcher(FailureAnswers failures, String environment) {
        this.failures = failures;
        this.environment = environment;
    }

    /** More commands and presses are queued or being handled than the bot starts within about a second. */
    public boolean overloaded() {
        return inFlight.get() >= MAX_WAITING;
    }

    /** Whether nothing is queued or being handled. */
    public boolean idle() {
        return inFlight.get() == 0;
    }

    /** Queues work for {@code origin}; returns at once. */
    public void submit(Origin origin, Runnable action) {
        inFlight.incrementAndGet();
        try {
            work.execute(() -> {
                try (LogContext context = LogContext.of(null, environment, origin.user().key())) {
                    try {
                        action.run();
                    } catch (RuntimeException e) {
                        failures.answer(origin, e);
                    }
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            LOG.warn("the bot is stopping; a request from {} was not handled", origin.user().key());
        }
    }

    @Override
    public void close() {
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
