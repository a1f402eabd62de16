package dev.opsbot.core.swarm;

import java.util.List;

/** A service and the tasks Docker wants running, with their state and container health, on every node. */
public record ServiceHealth(SwarmService service, List<SwarmTask> tasks) {
    public ServiceHealth {
        tasks = List.copyOf(tasks);
    }

    /** All desired tasks are running and none reports an unhealthy or still-starting container. */
    public boolean healthy() {
        return service.converged() && tasks.stream().allMatch(t -> "running".equals(t.state())
                && (t.health().isEmpty() || "healthy".equals(t.health())));
    }
}
