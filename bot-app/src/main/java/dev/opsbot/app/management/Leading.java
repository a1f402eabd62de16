package dev.opsbot.app.management;

import java.time.Instant;

/**
 * Whether this replica leads an environment (watches its health, expires its buttons, reports its
 * interrupted runs), as {@code /readyz} shows it: since when (the database's clock) while it leads,
 * else which replica it last saw leading (null when none yet). Leading is not needed to be ready.
 */
public record Leading(boolean leads, Instant since, String leader) {
}
