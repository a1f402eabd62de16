package dev.opsbot.core.store;

import java.time.Instant;

/** One append-only audit row: who did what where, and what came of it. */
public record AuditEntry(long id, Instant at, String actor, String place, String action, String detail, String outcome,
                         String prevHash, String hash) {
}
