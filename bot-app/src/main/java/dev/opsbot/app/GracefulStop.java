package dev.opsbot.app;

import dev.opsbot.core.env.Environments;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the process does when it is asked to stop (SIGTERM from {@code docker stop} or
 * {@code systemctl stop}, Ctrl-C): every environment stops taking commands and its runs stop
 * before their next step, for up to the grace period; then the bot and its connections are
 * closed, in the order given, and the JVM ends. A run still in a step then is left exactly as a
 * crash leaves it, and the next start reports it with Resume at that step.
 *
 * <p>The JVM ends as soon as its shutdown hooks are done, so the hook itself does the closing:
 * the threads that wait for input or for the stop never get to close anything twice.
 */
final class GracefulStop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final Thread hook;
    private final CountDownLatch asked = new CountDownLatch(1);

    private GracefulStop(Environments environments, Duration grace, List<AutoCloseable> thenClose) {
        this.hook = new Thread(() -> stop(environments, grace, thenClose), "opsbot-stop");
    }

    /**
     * Installs the stop; {@code thenClose} in the order to close them (the bot first, while its
     * chat connections still carry the runs' last words, then the connections).
     */
    static GracefulStop install(Environments environments, Duration grace, List<AutoCloseable> thenClose) {
        GracefulStop stop = new GracefulStop(environments, grace, List.copyOf(thenClose));
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    private void stop(Environments environments, Duration grace, List<AutoCloseable> thenClose) {
        asked.countDown();
        try {
            environments.stop(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (AutoCloseable resource : thenClose) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed while stopping: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
        LOG.info("stopped");
    }

    /** Waits until the process is asked to stop. */
    void await() throws InterruptedException {
        asked.await();
    }

    /**
     * Takes the stop away when the bot ends by itself (the console's input ended): its owner
     * closes what it opened. While the process is stopping, the stop is closing everything and the
     * calling thread only waits for the JVM to end.
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            untilTheProcessEnds();
        }
    }

    @SuppressWarnings("InfiniteLoopStatement")
    private static void untilTheProcessEnds() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // the JVM ends when the stop is done; nothing here may close anything
            }
        }
    }
}
