package dev.opsbot.core.health;

import java.util.Map;

/**
 * A container event of the watched project, as far as the monitor cares: which service, what
 * happened ("health_status: unhealthy", "die", "oom", "restart", "start"), and the engine's time.
 */
record DockerEvent(String service, String containerId, String action, long timeNanos, Map<String, String> attributes) {
    DockerEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** "unhealthy" of "health_status: unhealthy"; "" for other actions. */
    String healthStatus() {
        return action.startsWith("health_status") ? action.substring(action.indexOf(':') + 1).strip() : "";
    }
}
