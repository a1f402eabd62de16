package dev.opsbot.core.health;

import dev.opsbot.core.swarm.ServiceHealth;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.swarm.SwarmTask;
import java.util.List;

/** Reads a swarm service's tasks on every node; passes when all it wants running run and are not unhealthy. */
final class SwarmTasksProbe implements Probe {
    private final ProbeSpec.SwarmTasks spec;
    private final SwarmHost swarm;

    SwarmTasksProbe(ProbeSpec.SwarmTasks spec, SwarmHost swarm) {
        this.spec = spec;
        this.swarm = swarm;
    }

    @Override
    public ProbeResult run() {
        try {
            ServiceHealth h = swarm.health(spec.stack()).stream().filter(s -> s.service().name().equals(spec.service())).findFirst()
                    .orElse(null);
            if (h == null) return ProbeResult.fail("swarm stack " + spec.stack() + " has no service " + spec.service());
            List<String> lines = h.tasks().stream().map(SwarmTasksProbe::line).toList();
            String text = h.service().running() + "/" + h.service().desired() + " tasks running"
                    + (lines.isEmpty() ? "" : "\n" + String.join("\n", lines));
            return h.healthy() ? ProbeResult.pass(text) : ProbeResult.fail(text);
        } catch (RuntimeException e) {
            return ProbeResult.fail("the swarm could not be asked: " + e.getMessage());
        }
    }

    private static String line(SwarmTask t) {
        return t.label() + " " + t.id() + " " + t.tag() + (t.node().isEmpty() ? "" : " on " + t.node()) + ": " + t.state()
                + (t.health().isEmpty() ? "" : " (" + t.health() + ")") + (t.error().isEmpty() ? "" : " — " + t.error());
    }
}
