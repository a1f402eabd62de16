package dev.opsbot.core.dockerjava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.swarm.StackLabels;
import java.util.List;

/**
 * The spec of a one-off job (a migration) made from a stack service: the service's image,
 * environment, mounts, networks and placement, the given command, run once to completion.
 */
final class JobSpec {
    private JobSpec() {
    }

    /** @param image the job's image; null for the service's */
    static ObjectNode from(String stack, String service, String name, JsonNode serviceSpec, String image, List<String> command) {
        ObjectNode job = serviceSpec.deepCopy();
        job.put("Name", name);
        // Jobs take no rolling-update settings, and published ports would clash with the service's.
        job.remove(List.of("UpdateConfig", "RollbackConfig", "EndpointSpec", "Mode"));
        ObjectNode labels = job.putObject("Labels");
        labels.put(StackLabels.NAMESPACE, stack);
        String serviceImage = serviceSpec.path("TaskTemplate").path("ContainerSpec").path("Image").asText();
        labels.put(StackLabels.IMAGE, image != null ? image : serviceSpec.path("Labels").path(StackLabels.IMAGE).asText(
                ImageRef.parse(serviceImage).toString()));
        labels.put(StackLabels.MANAGED_BY, "opsbot");
        labels.put(StackLabels.JOB_OF, service);

        ObjectNode task = job.withObjectProperty("TaskTemplate");
        ObjectNode container = task.withObjectProperty("ContainerSpec");
        // Like `docker compose run service cmd`: the command replaces CMD, the entrypoint stays.
        if (image != null) container.put("Image", image);
        ArrayNode args = container.putArray("Args");
        command.forEach(args::add);
        container.withObjectProperty("Labels").put(StackLabels.NAMESPACE, stack);
        container.withObjectProperty("Labels").put(StackLabels.MANAGED_BY, "opsbot");
        // The service's healthcheck would judge a migration by the web server it does not start.
        container.putObject("Healthcheck").putArray("Test").add("NONE");
        // A migration that failed must not be retried behind the channel's back.
        task.putObject("RestartPolicy").put("Condition", "none");
        task.remove("ForceUpdate");

        ObjectNode mode = job.putObject("Mode").putObject("ReplicatedJob");
        mode.put("MaxConcurrent", 1);
        mode.put("TotalCompletions", 1);
        return job;
    }
}
