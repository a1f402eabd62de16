package dev.opsbot.core.button;

import java.util.Map;

/**
 * A run that was asked for and waits for a decision: the runbook, the parameters as they were
 * validated when it was asked, the command as typed (with defaults written out), and who asked.
 * Pressing Confirm or the last Approve runs exactly this.
 */
public record RunTicket(String runbook, Map<String, String> params, String invocation, String requesterId, String requesterName) {
    public RunTicket {
        params = Map.copyOf(params);
    }
}
