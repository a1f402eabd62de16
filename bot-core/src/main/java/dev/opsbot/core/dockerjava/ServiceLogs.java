package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.opsbot.core.stream.OutputSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A service's log stream forwarded to an {@link OutputSink} as it arrives. The swarm's log stream
 * of a service does not end when its job does, and its last lines may come after the task is
 * reported complete, so {@link #drain} waits until the stream is quiet instead.
 */
final class ServiceLogs extends ResultCallback.Adapter<Frame> {
    private static final long QUIET_NANOS = Duration.ofMillis(500).toNanos();

    private final OutputSink out;
    private volatile long lastFrame = System.nanoTime();

    ServiceLogs(OutputSink out) {
        this.out = out;
    }

    @Override
    public void onNext(Frame frame) {
        lastFrame = System.nanoTime();
        byte[] payload = frame.getPayload();
        if (payload != null && payload.length > 0) out.write(new String(payload, StandardCharsets.UTF_8));
    }

    /** Waits until the stream ends, or has been quiet for a while since this call, or {@code max} passed. */
    void drain(Duration max) {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        try {
            while (System.nanoTime() - deadline < 0) {
                if (awaitCompletion(100, TimeUnit.MILLISECONDS)) return;
                if (System.nanoTime() - Math.max(lastFrame, start) > QUIET_NANOS) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // closing a stream we are done with
        }
    }
}
