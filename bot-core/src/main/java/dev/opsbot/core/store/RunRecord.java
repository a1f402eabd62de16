package dev.opsbot.core.store;

import java.time.Instant;
import java.util.Map;

/** A run of a runbook as stored; {@code owner} is the replica that runs (or ran) it, null for runs from before replicas. */
public record RunRecord(long id, String runbook, String invocation, Map<String, String> params, String requestedBy,
                        String channel, String liveMessage, RunStatus status, int currentStep, int stepCount,
                        Instant startedAt, Instant endedAt, String summary, String owner) {
}
