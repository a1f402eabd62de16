package dev.opsbot.slack;

import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.queue.SocketModeMessageQueue;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each envelope of Bolt's Socket Mode client to Bolt as it arrives, on one thread of its
 * own, in the order they came. Bolt queues envelopes and has ten tasks look at the queue every
 * 10 ms: each command waited for the next look before Bolt even saw it, and an idle bot woke a
 * thousand times a second to find the queue empty.
 */
final class SocketModeEnvelopes implements SocketModeMessageQueue, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketModeEnvelopes.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slack-socket-mode-envelopes");
        t.setDaemon(true);
        return t;
    });
    private final SocketModeClient client;

    private SocketModeEnvelopes(SocketModeClient client) {
        this.client = client;
    }

    /**
     * Takes over the envelopes of a client Bolt made and started: those arriving from now on, and
     * those still in Bolt's queue once its tasks stopped looking (none is lost or handled twice).
     */
    static SocketModeEnvelopes takeOver(SocketModeClient client) throws InterruptedException {
        SocketModeEnvelopes envelopes = new SocketModeEnvelopes(client);
        SocketModeMessageQueue queued = client.getMessageQueue();
        client.setMessageQueue(envelopes);
        ScheduledExecutorService lookers = client.getMessageProcessorExecutor();
        lookers.shutdown();
        if (!lookers.awaitTermination(10, TimeUnit.SECONDS)) LOG.warn("Bolt's Socket Mode queue tasks did not stop within 10 s");
        for (String message = queued.poll(); message != null; message = queued.poll()) envelopes.add(message);
        return envelopes;
    }

    @Override
    public void add(String message) {
        try {
            thread.execute(() -> {
                try {
                    client.processMessage(message);
                } catch (IOException | RuntimeException e) {
                    LOG.error("A Socket Mode envelope could not be handled: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("A Socket Mode envelope arrived while the adapter closed: it goes unacknowledged");
        }
    }

    /** Nothing is ever left waiting: {@link #add} hands each envelope on. */
    @Override
    public String poll() {
        return null;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
