package dev.opsbot.core.swarm;

import dev.opsbot.core.compose.ImageRef;

/**
 * One task of a service, as Docker reports it: the short task id, the replica slot (0 for global
 * services), the node's hostname, the image without its digest, the state Docker wants
 * ({@code running}, {@code shutdown}) and the one it has ({@code starting}, {@code running},
 * {@code failed} ...), Docker's error ({@code task: non-zero exit (137): dockerexec: unhealthy container})
 * and the container's health ({@code healthy}, {@code unhealthy}, {@code starting}; empty when the
 * container has no healthcheck or runs on another node).
 */
public record SwarmTask(String service, String id, int slot, String node, String image, String desiredState,
                        String state, String error, String health) {

    public SwarmTask {
        error = error == null ? "" : error;
        health = health == null ? "" : health;
    }

    /** The image's tag ({@code sha-1a2b3c4}). */
    public String tag() {
        return ImageRef.parse(image).tag();
    }

    /** {@code backend.2}, as {@code docker service ps} names it. */
    public String label() {
        return slot > 0 ? service + "." + slot : service;
    }

    /** The same task with the health of its container. */
    public SwarmTask withHealth(String containerHealth) {
        return new SwarmTask(service, id, slot, node, image, desiredState, state, error, containerHealth);
    }
}
