package dev.opsbot.core.health;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    private static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final String SERVICE_LABEL = "com.docker.compose.service";
    private static final String ONEOFF_LABEL = "com.docker.compose.oneoff";
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    /** A connection that lasted this long was healthy: the next break starts the pauses over. */
    private static final Duration STABLE = Duration.ofSeconds(30);

    /** What the watcher reports. */
    interface Listener {
        void onEvent(DockerEvent event);

        /** The stream is (re)connected; {@code reconnected} is false the first time. */
        void onConnected(boolean reconnected);
    }

    private final DockerClient client;
    private final String project;
    private final Duration firstPause;
    private final Listener listener;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile ResultCallback.Adapter<Event> current;
    private volatile long lastEventNanos;
    /** Whether the current outage was logged: an engine that stays away is reported once, not at every retry. */
    private boolean outageLogged;

    EventWatcher(DockerClient client, String project, Duration firstPause, Listener listener) {
        this.client = client;
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
        ResultCallback.Adapter<Event> c = current;
        if (c != null) closeQuietly(c);
    }

    private void loop() {
        Duration pause = firstPause;
        while (running) {
            long connectedAt = System.nanoTime();
            ResultCallback.Adapter<Event> callback = new Callback();
            try {
                var cmd = client.eventsCmd().withLabelFilter(Map.of(PROJECT_LABEL, project))
                        .withEventFilter("health_status", "die", "oom", "restart", "start");
                long since = lastEventNanos;
                if (since > 0) cmd = cmd.withSince(since / 1_000_000_000L + "." + String.format("%09d", since % 1_000_000_000L));
                current = callback;
                cmd.exec(callback);
                awaitStarted(callback);
                if (lastEventNanos == 0) lastEventNanos = java.time.Instant.now().toEpochMilli() * 1_000_000L;
                boolean again = connections.getAndIncrement() > 0;
                if (again) LOG.info("docker event stream of {} reconnected", project);
                outageLogged = false;
                listener.onConnected(again);
                callback.awaitCompletion();
                if (running) logOutage("ended", null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) logOutage("broke", e);
            } finally {
                closeQuietly(callback);
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

    private void logOutage(String what, RuntimeException e) {
        String why = e == null ? "" : ": " + e.getMessage();
        if (outageLogged) {
            LOG.debug("docker event stream of {} {}{}; retrying", project, what, why);
        } else {
            LOG.warn("docker event stream of {} {}{}; reconnecting (health events wait until it is back)", project, what, why);
            outageLogged = true;
        }
    }

    /** Waits for the stream to open; a connection that fails before it opens throws. */
    private static void awaitStarted(ResultCallback.Adapter<Event> callback) throws InterruptedException {
        while (!callback.awaitStarted(200, TimeUnit.MILLISECONDS)) {
            if (callback.awaitCompletion(0, TimeUnit.MILLISECONDS)) throw new IllegalStateException("the stream closed before it opened");
        }
    }

    private final class Callback extends ResultCallback.Adapter<Event> {
        @Override
        public void onNext(Event e) {
            if (e.getActor() == null || e.getAction() == null) return;
            Map<String, String> attributes = e.getActor().getAttributes() == null ? Map.of() : e.getActor().getAttributes();
            if ("True".equals(attributes.get(ONEOFF_LABEL))) return;
            String service = attributes.get(SERVICE_LABEL);
            if (service == null) return;
            long nanos = e.getTimeNano() != null ? e.getTimeNano() : e.getTime() == null ? 0 : e.getTime() * 1_000_000_000L;
            if (nanos > lastEventNanos) lastEventNanos = nanos;
            try {
                listener.onEvent(new DockerEvent(service, e.getActor().getId(), e.getAction(), nanos, attributes));
            } catch (RuntimeException ex) {
                LOG.warn("handling docker event {} of {} failed: {}", e.getAction(), service, ex.toString());
            }
        }

        @Override
        public void onError(Throwable t) {
            // The base class logs every error at ERROR level; a dropped stream is expected and handled by reconnecting.
            if (running) LOG.debug("docker event stream error: {}", t.toString());
            closeQuietly(this);
        }
    }

    private static void closeQuietly(ResultCallback.Adapter<Event> c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a stream that is already gone
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
