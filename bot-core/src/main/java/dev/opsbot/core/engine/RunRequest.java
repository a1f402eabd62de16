package dev.opsbot.core.engine;

import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.runbook.Runbook;
import java.util.Map;

/** A run about to start: which runbook, with which validated parameters, asked by whom, approved by whom. */
public record RunRequest(Runbook runbook, Map<String, String> params, String invocation, Origin origin, String approvedBy) {
    public RunRequest {
        params = Map.copyOf(params);
    }
}
