package dev.opsbot.core.swarm;

/**
 * One service of a stack as the engine reports it: {@code name} without the stack prefix
 * ({@code backend}), {@code fullName} as Docker knows it ({@code shop_backend}), the image without
 * its digest, desired and running task counts across the nodes, and the state of the last update
 * ({@code updating}, {@code completed}, {@code rollback_completed}, {@code paused} ...; empty when the
 * service was never updated).
 */
public record SwarmService(String name, String fullName, String image, String mode, int desired, int running,
                           String updateState) {

    public boolean converged() {
        return running == desired;
    }
}
