package dev.opsbot.core.health;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the engine's event stream for one compose project (health_status, die, oom, restart,
 * start). When the stream breaks it reconnects with a growing pause, asking the engine to
 * replay what happened since the last event it saw, and tells its listener it is connected
 * again so the current state can be re-read: nothing that happened in the gap is missed.
 */
final class EventWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventWatcher.class);
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    /** A connection that lasted this long was healthy: the next break starts the pauses over. */
    private static final Duration STABLE = Duration.ofSeconds(30);

    /** What the watcher reports. */
    interface Listener {
        void onEvent(DockerEvent event);

        /** The stream is (re)connected; {@code reconnected} is false the first time. */
        void onConnected(boolean reconnected);
    }

    private final ContainerWatch watch;
    private final String project;
    private final Duration firstPause;
    private final Listener listener;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile ContainerWatch.EventStream current;
    private volatile long lastEventNanos;
    /** Whether the current outage was logged: an engine that stays away is reported once, not at every retry. */
    private boolean outageLogged;

    EventWatcher(ContainerWatch watch, String project, Duration firstPause, Listener listener) {
        this.watch = watch;
        this.project = project;
        this.firstPause = firstPause;
        this.listener = listener;
        this.thread = new Thread(this::loop, "opsbot-docker-events");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** How many times the stream has been connected (1 after the first connection). */
    int connections() {
        return connections.get();
    }

    /** Closes the current stream as if the connection had dropped; the watcher reconnects. */
    void breakStream() {
        ContainerWatch.EventStream stream = current;
        if (stream != null) stream.close();
    }

    private void loop() {
        Duration pause = firstPause;
        while (running) {
            long connectedAt = System.nanoTime();
            try (ContainerWatch.EventStream stream = watch.events(project, lastEventNanos, this::deliver)) {
                current = stream;
                if (!running) return;
                if (lastEventNanos == 0) lastEventNanos = Instant.now().toEpochMilli() * 1_000_000L;
                boolean again = connections.getAndIncrement() > 0;
                if (again) LOG.info("docker event stream of {} reconnected", project);
                outageLogged = false;
                listener.onConnected(again);
                stream.awaitEnd();
                if (running) logOutage("ended", null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) logOutage("broke", e);
            }
            if (!running) return;
            if (Duration.ofNanos(System.nanoTime() - connectedAt).compareTo(STABLE) > 0) pause = firstPause;
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    private void deliver(DockerEvent event) {
        if (event.timeNanos() > lastEventNanos) lastEventNanos = event.timeNanos();
        try {
            listener.onEvent(event);
        } catch (RuntimeException ex) {
            LOG.warn("handling docker event {} of {} failed: {}", event.action(), event.service(), ex.toString());
        }
    }

    private void logOutage(String what, RuntimeException e) {
        String why = e == null ? "" : ": " + e.getMessage();
        if (outageLogged) {
            LOG.debug("docker event stream of {} {}{}; retrying", project, what, why);
        } else {
            LOG.warn("docker event stream of {} {}{}; reconnecting (health events wait until it is back)", project, what, why);
            outageLogged = true;
        }
    }

    @Override
    public void close() {
        running = false;
        breakStream();
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
