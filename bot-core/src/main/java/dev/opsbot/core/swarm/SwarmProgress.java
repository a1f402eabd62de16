package dev.opsbot.core.swarm;

import dev.opsbot.core.stream.OutputSink;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An update told as lines for the live message, one per change:
 * {@code backend.1 3f2a1b2c9d0e sha-5d6e7f8 on node-1: running},
 * {@code backend: rollback started — update rolled back due to failure ...},
 * {@code backend: rolled back to ...:sha-1a2b3c4 — ...}.
 */
public final class SwarmProgress implements SwarmListener {
    private final OutputSink out;
    /** The line last written per task: a change Docker reports may not change what the line says. */
    private final Map<String, String> lastLine = new ConcurrentHashMap<>();

    public SwarmProgress(OutputSink out) {
        this.out = out;
    }

    @Override
    public void task(SwarmTask t) {
        String state = t.state();
        // A task Docker is stopping still says "running" until it has stopped.
        if (t.desiredState().equals("shutdown") && !state.equals("shutdown") && !state.equals("failed")
                && !state.equals("complete") && !state.equals("rejected")) {
            state += " (shutting down)";
        }
        String line = t.label() + " " + t.id() + " " + t.tag() + (t.node().isEmpty() ? "" : " on " + t.node()) + ": " + state
                + (t.error().isEmpty() ? "" : " — " + t.error());
        if (!line.equals(lastLine.put(t.id(), line))) out.line(line);
    }

    @Override
    public void status(String service, String state, String message) {
        out.line(service + ": " + state.replace('_', ' ') + (message.isEmpty() ? "" : " — " + message));
    }

    @Override
    public void outcome(UpdateOutcome o) {
        String what = switch (o.result()) {
            case CONVERGED -> "converged on " + o.image();
            case ROLLED_BACK -> "rolled back to " + o.image();
            case FAILED -> "update failed, now on " + o.image();
            case TIMED_OUT -> "not finished, now on " + o.image();
        };
        out.line(o.service() + ": " + what + (o.reason().isEmpty() ? "" : " — " + o.reason()));
    }
}
