package dev.opsbot.core.health;

import java.util.Map;

/**
 * A container event of the watched project, as far as the monitor cares: which service, which
 * container, what happened ("health_status: unhealthy", "die", "oom", "restart", "start"), the
 * engine's time in nanoseconds since the epoch, and the container's labels and other attributes.
 */
public record DockerEvent(String service, String containerId, String action, long timeNanos, Map<String, String> attributes) {
    public DockerEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** "unhealthy" of "health_status: unhealthy"; "" for other actions. */
    String healthStatus() {
        return action.startsWith("health_status") ? action.substring(action.indexOf(':') + 1).strip() : "";
    }
}
