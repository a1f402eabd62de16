package dev.opsbot.core.env;

import dev.opsbot.core.swarm.ServiceHealth;
import dev.opsbot.core.swarm.SwarmHost;
import java.util.List;
import java.util.function.Supplier;

/** A swarm stack's health in one line: services with all their tasks running and healthy, across the nodes. */
public record SwarmGlance(SwarmHost swarm, String stack) implements Supplier<String> {

    @Override
    public String get() {
        List<ServiceHealth> services = swarm.health(stack);
        if (services.isEmpty()) return "no services in swarm stack " + stack;
        List<String> unwell = services.stream().filter(s -> !s.healthy())
                .map(s -> s.service().name() + " " + s.service().running() + "/" + s.service().desired()).toList();
        long healthy = services.size() - unwell.size();
        return healthy + "/" + services.size() + " services healthy"
                + (unwell.isEmpty() ? "" : ", not yet: " + String.join(", ", unwell));
    }
}
