package dev.opsbot.core.engine;

import java.util.Map;

/** A run that was asked for and waits for confirmation: the runbook, the validated parameters, the typed command. */
public record RunTicket(String runbook, Map<String, String> params, String invocation, String decision,
                        String requesterId, String requesterName) {
    public RunTicket {
        params = Map.copyOf(params);
    }
}
