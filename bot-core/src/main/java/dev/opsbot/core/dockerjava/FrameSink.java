package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.opsbot.core.stream.OutputSink;
import java.nio.charset.StandardCharsets;

/** Forwards a container's stdout and stderr frames to an {@link OutputSink} as they arrive. */
final class FrameSink extends ResultCallback.Adapter<Frame> {
    private final OutputSink out;

    FrameSink(OutputSink out) {
        this.out = out;
    }

    @Override
    public void onNext(Frame frame) {
        byte[] payload = frame.getPayload();
        if (payload != null && payload.length > 0) out.write(new String(payload, StandardCharsets.UTF_8));
    }
}
