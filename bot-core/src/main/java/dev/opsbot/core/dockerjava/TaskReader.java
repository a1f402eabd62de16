package dev.opsbot.core.dockerjava;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.swarm.SwarmTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A service's tasks as {@link SwarmTask}s, with node ids turned into hostnames. */
final class TaskReader {
    private final EngineApi api;
    private final Map<String, String> nodeNames = new ConcurrentHashMap<>();

    TaskReader(EngineApi api) {
        this.api = api;
    }

    /** Every task the engine still keeps for the service (current ones and recent history), by slot. */
    List<SwarmTask> tasks(String serviceId, String service) {
        return tasks(raw(serviceId, service), service);
    }

    /** The raw task list, for what {@link SwarmTask} leaves out (container id, exit code). */
    JsonNode raw(String serviceId, String service) {
        return api.get("list the tasks of " + service, "/tasks?filters=" + api.filters(Map.of("service", List.of(serviceId))));
    }

    List<SwarmTask> tasks(JsonNode raw, String service) {
        List<SwarmTask> result = new ArrayList<>();
        for (JsonNode t : raw) {
            JsonNode status = t.path("Status");
            result.add(new SwarmTask(service, shortId(t.path("ID").asText()), t.path("Slot").asInt(0),
                    node(t.path("NodeID").asText("")),
                    ImageRef.parse(t.path("Spec").path("ContainerSpec").path("Image").asText("")).toString(),
                    t.path("DesiredState").asText(""), status.path("State").asText(""), status.path("Err").asText(""), ""));
        }
        result.sort(Comparator.comparingInt(SwarmTask::slot));
        return result;
    }

    private String node(String id) {
        if (id.isEmpty()) return "";
        String name = nodeNames.get(id);
        if (name != null) return name;
        for (JsonNode n : api.get("list the swarm's nodes", "/nodes")) {
            nodeNames.put(n.path("ID").asText(), n.path("Description").path("Hostname").asText(n.path("ID").asText()));
        }
        return nodeNames.getOrDefault(id, shortId(id));
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
