package dev.opsbot.core.swarm;

import java.util.List;

/** The outcome of a deploy, one per service updated, in the order they were asked for. */
public record DeployResult(List<UpdateOutcome> services) {
    public DeployResult {
        services = List.copyOf(services);
    }

    public boolean converged() {
        return services.stream().allMatch(UpdateOutcome::converged);
    }

    public UpdateOutcome outcome(String service) {
        return services.stream().filter(o -> o.service().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no outcome for " + service));
    }
}
