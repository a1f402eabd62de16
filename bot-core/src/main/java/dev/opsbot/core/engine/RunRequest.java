package dev.opsbot.core.engine;

import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.runbook.Runbook;
import java.util.Map;

/**
 * A run about to start: which runbook, with which validated parameters, asked by whom, approved
 * by whom; a resumed run starts at {@code startStep} (0-based) and takes over the stack lock
 * its interrupted run {@code takesOverFrom} left; {@code startedFrom} is the message whose button
 * started it, if any.
 */
public record RunRequest(Runbook runbook, Map<String, String> params, String invocation, Origin origin, String approvedBy,
                         int startStep, Long takesOverFrom, MessageRef startedFrom) {
    public RunRequest {
        params = Map.copyOf(params);
    }

    public RunRequest(Runbook runbook, Map<String, String> params, String invocation, Origin origin, String approvedBy) {
        this(runbook, params, invocation, origin, approvedBy, 0, null, null);
    }

    /** The same request, started by pressing a button on {@code message} (its thread may carry the run). */
    public RunRequest from(MessageRef message) {
        return new RunRequest(runbook, params, invocation, origin, approvedBy, startStep, takesOverFrom, message);
    }
}
