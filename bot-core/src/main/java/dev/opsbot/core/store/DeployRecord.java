package dev.opsbot.core.store;

import java.time.Instant;

/** One service's image change by one run, and how it ended. */
public record DeployRecord(long id, long runId, String stack, String service, String tagBefore, String tagAfter,
                           String requestedBy, String approvedBy, String outcome, boolean healthVerified, Instant at) {
}
