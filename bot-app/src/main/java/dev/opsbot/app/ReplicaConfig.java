package dev.opsbot.app;

import dev.opsbot.core.compose.ComposeLoader;
import dev.opsbot.core.replica.ReplicaSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The optional {@code replica:} section of opsbot.yml ({@code id}, {@code lease-ttl}), or
 * {@code OPSBOT_REPLICA_ID} and {@code OPSBOT_LEASE_TTL}: who this process is among several bot
 * processes sharing one database, and how long its lease on what must happen once lasts. Both have
 * defaults that suit one process and several alike (docs/high-availability.md).
 */
final class ReplicaConfig {
    private static final Set<String> KEYS = Set.of("id", "lease-ttl");

    private ReplicaConfig() {
    }

    static ReplicaSettings read(Object section, Map<String, String> env) {
        if (section != null && !(section instanceof Map<?, ?>)) {
            throw new AppConfig.ConfigException("replica: expected id and lease-ttl, e.g. {id: opsbot-1, lease-ttl: 15s}");
        }
        Map<?, ?> r = section == null ? Map.of() : (Map<?, ?>) section;
        for (Object k : r.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) throw new AppConfig.ConfigException("replica: unknown setting '" + k + "' (known: [id, lease-ttl])");
        }
        String id = pick(env.get("OPSBOT_REPLICA_ID"), r.get("id"));
        String ttl = pick(env.get("OPSBOT_LEASE_TTL"), r.get("lease-ttl"));
        Duration lease;
        try {
            lease = ttl == null ? null : ComposeLoader.duration(ttl);
        } catch (RuntimeException e) {
            throw new AppConfig.ConfigException("replica.lease-ttl: " + e.getMessage());
        }
        try {
            return new ReplicaSettings(id, lease);
        } catch (IllegalArgumentException e) {
            throw new AppConfig.ConfigException("replica: " + e.getMessage());
        }
    }

    private static String pick(String env, Object yaml) {
        if (env != null && !env.isBlank()) return env;
        return yaml == null ? null : String.valueOf(yaml);
    }
}
