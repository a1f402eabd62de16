package dev.opsbot.core.store;

import java.time.Instant;

/** A row on its way into the trail: redacted, not chained yet. */
record AuditRow(Instant at, String actor, String place, String action, String detail, String outcome) { }
