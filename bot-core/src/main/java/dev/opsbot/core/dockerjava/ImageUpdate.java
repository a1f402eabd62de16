package dev.opsbot.core.dockerjava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opsbot.core.swarm.StackLabels;
import dev.opsbot.core.swarm.UpdatePolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A service spec with a new image and, when given, a new update policy; everything else is
 * left exactly as the engine returned it (mounts, secrets, placement, resources, healthcheck,
 * fields docker-java does not know).
 */
final class ImageUpdate {
    private ImageUpdate() {
    }

    /**
     * @param image  what the tasks should run, pinned to a digest where the registry told us one
     * @param named  the same image as the stack file would name it (no digest), for {@link StackLabels#IMAGE}
     */
    static ObjectNode apply(JsonNode spec, String image, String named, Optional<UpdatePolicy> policy) {
        ObjectNode edited = spec.deepCopy();
        ObjectNode container = edited.withObjectProperty("TaskTemplate").withObjectProperty("ContainerSpec");
        container.put("Image", image);
        // Only where stack deploy put it: a service created by hand has no stack file to agree with.
        if (edited.path("Labels").has(StackLabels.IMAGE)) edited.withObjectProperty("Labels").put(StackLabels.IMAGE, named);
        policy.ifPresent(p -> {
            String order = edited.path("UpdateConfig").path("Order").asText("stop-first");
            ObjectNode update = edited.putObject("UpdateConfig");
            update.put("Parallelism", p.parallelism());
            update.put("Delay", nanos(p.delay()));
            update.put("FailureAction", p.onFailure().name().toLowerCase(Locale.ROOT));
            update.put("Monitor", nanos(p.monitor()));
            update.put("MaxFailureRatio", 0);
            update.put("Order", order);
            // Going back at the same pace; a rollback that fails too must stop, not loop.
            ObjectNode rollback = edited.putObject("RollbackConfig");
            rollback.put("Parallelism", p.parallelism());
            rollback.put("Delay", nanos(p.delay()));
            rollback.put("FailureAction", "pause");
            rollback.put("Monitor", nanos(p.monitor()));
            rollback.put("MaxFailureRatio", 0);
            rollback.put("Order", order);
        });
        return edited;
    }

    private static long nanos(Duration d) {
        return d.toNanos();
    }
}
