package dev.opsbot.core.dockerjava;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.swarm.DeployResult;
import dev.opsbot.core.swarm.ServiceHealth;
import dev.opsbot.core.swarm.StackLabels;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.swarm.SwarmListener;
import dev.opsbot.core.swarm.SwarmService;
import dev.opsbot.core.swarm.SwarmTask;
import dev.opsbot.core.swarm.UpdateOutcome;
import dev.opsbot.core.swarm.UpdatePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link SwarmHost} on a swarm manager's Engine API (1.41, Engine 20.10 or later), through
 * docker-java's connection: typed docker-java commands where it has them (logs, container
 * inspect), JSON trees where it has not (see {@link EngineApi}).
 */
final class DockerJavaSwarm implements SwarmHost {
    private static final Duration POLL = Duration.ofMillis(250);
    /** How long the log stream of a finished job may take to deliver its last lines. */
    private static final Duration LOG_DRAIN = Duration.ofSeconds(3);
    private static final Set<String> DONE = Set.of("complete", "failed", "rejected", "shutdown", "orphaned", "remove");

    private final DockerClient docker;
    private final EngineCalls calls;
    private final EngineApi api;
    private final TaskReader tasks;
    private final UpdateWatch watch;

    DockerJavaSwarm(DockerClient docker, EngineCalls calls, EngineApi api) {
        this.docker = docker;
        this.calls = calls;
        this.api = api;
        this.tasks = new TaskReader(api);
        this.watch = new UpdateWatch(api, tasks, POLL);
    }

    @Override
    public List<SwarmService> services(String stack) {
        JsonNode list = api.get("list the services of stack " + stack, "/services?status=true&filters="
                + api.filters(Map.of("label", List.of(StackLabels.NAMESPACE + "=" + stack))));
        List<SwarmService> services = new ArrayList<>();
        for (JsonNode s : list) services.add(toService(stack, s));
        services.sort(Comparator.comparing(SwarmService::name));
        return services;
    }

    private static SwarmService toService(String stack, JsonNode s) {
        String fullName = s.path("Spec").path("Name").asText();
        JsonNode status = s.path("ServiceStatus");
        return new SwarmService(StackLabels.shortName(stack, fullName), fullName, UpdateWatch.image(s), mode(s.path("Spec").path("Mode")),
                status.path("DesiredTasks").asInt(0), status.path("RunningTasks").asInt(0),
                s.path("UpdateStatus").path("State").asText(""));
    }

    private static String mode(JsonNode mode) {
        if (mode.has("Global")) return "global";
        if (mode.has("ReplicatedJob")) return "replicated-job";
        if (mode.has("GlobalJob")) return "global-job";
        return "replicated";
    }

    @Override
    public DeployResult deploy(String stack, Map<String, String> images, UpdatePolicy policy, SwarmListener listener, Duration timeout) {
        return update(stack, images, Optional.of(policy), listener, timeout);
    }

    @Override
    public DeployResult deploy(String stack, Map<String, String> images, SwarmListener listener, Duration timeout) {
        return update(stack, images, Optional.empty(), listener, timeout);
    }

    private DeployResult update(String stack, Map<String, String> images, Optional<UpdatePolicy> policy,
                                SwarmListener listener, Duration timeout) {
        // Every service is looked up before any is touched: a typo must not leave the stack half updated.
        Map<String, JsonNode> current = new LinkedHashMap<>();
        images.keySet().forEach(service -> current.put(service, inspect(stack, service)));
        Map<String, UpdateOutcome> outcomes = new LinkedHashMap<>();
        List<UpdateWatch.Watched> watched = new ArrayList<>();
        for (Map.Entry<String, String> e : images.entrySet()) {
            String service = e.getKey();
            JsonNode before = current.get(service);
            String named = ImageRef.parse(e.getValue()).toString();
            String pinned = pin(service, e.getValue(), listener);
            ObjectNode spec = ImageUpdate.apply(before.path("Spec"), pinned, named, policy);
            String id = before.path("ID").asText();
            // Same image, nothing for the engine to roll: it would not report an update to wait for.
            if (pinned.equals(before.at("/Spec/TaskTemplate/ContainerSpec/Image").asText())) {
                UpdateOutcome same = new UpdateOutcome(service, UpdateOutcome.Result.CONVERGED, named, "already on " + named);
                listener.outcome(same);
                outcomes.put(service, same);
                continue;
            }
            List<SwarmTask> tasksBefore = tasks.tasks(id, service);
            api.post("update service " + service + " to " + named,
                    "/services/" + id + "/update?version=" + before.path("Version").path("Index").asLong(), spec);
            watched.add(new UpdateWatch.Watched(service, id, false, before, tasksBefore));
        }
        List<UpdateOutcome> followed = watch.follow(watched, listener, timeout);
        followed.forEach(o -> outcomes.put(o.service(), o));
        return new DeployResult(images.keySet().stream().map(outcomes::get).toList());
    }

    /**
     * The image with the digest its registry has for the tag now, as {@code docker service update}
     * records it: every node then runs the same build even if the tag moves. Where the registry
     * cannot be asked, the tag is used as it is (each node resolves it when it pulls).
     */
    private String pin(String service, String image, SwarmListener listener) {
        if (image.contains("@")) return image;
        ImageRef ref = ImageRef.parse(image);
        try {
            JsonNode info = api.get("look up " + ref + " in its registry", "/distribution/" + ref + "/json");
            String digest = info.path("Descriptor").path("digest").asText("");
            if (!digest.isEmpty()) return ref + "@" + digest;
        } catch (EngineFailures.NotFound e) {
            throw new DockerException("cannot deploy " + ref + " to " + service + ": the registry does not have it ("
                    + e.getMessage().replaceFirst("^cannot look up [^:]+:[^:]+: ", "") + ")", e);
        } catch (DockerException e) {
            listener.status(service, "warning", "could not ask the registry for the digest of " + ref
                    + ", so each node resolves the tag itself: " + e.getMessage());
        }
        return ref.toString();
    }

    @Override
    public UpdateOutcome rollback(String stack, String service, SwarmListener listener, Duration timeout) {
        JsonNode before = inspect(stack, service);
        if (before.path("PreviousSpec").isMissingNode() || before.path("PreviousSpec").isNull()) {
            throw new DockerException(service + " has no previous version to roll back to (it was never updated, or was rolled back already)");
        }
        String id = before.path("ID").asText();
        List<SwarmTask> tasksBefore = tasks.tasks(id, service);
        // Like `docker service rollback`: the current spec as body, the engine swaps in the previous one.
        api.post("roll back service " + service, "/services/" + id + "/update?rollback=previous&version="
                + before.path("Version").path("Index").asLong(), before.path("Spec"));
        UpdateWatch.Watched w = new UpdateWatch.Watched(service, id, true, before, tasksBefore);
        return watch.follow(List.of(w), listener, timeout).get(0);
    }

    @Override
    public int runJob(String stack, String service, String image, List<String> command, OutputSink out, Duration timeout) {
        JsonNode source = inspect(stack, service);
        String name = StackLabels.fullName(stack, service) + "-job-" + UUID.randomUUID().toString().substring(0, 8);
        String what = String.join(" ", command) + " (job of " + service + ")";
        String id = api.post("start " + what, "/services/create", JobSpec.from(stack, service, name, source.path("Spec"), image, command))
                .path("ID").asText();
        ServiceLogs logs = new ServiceLogs(out);
        try {
            return calls.call("run " + what, () -> followJob(id, service, what, logs, timeout));
        } finally {
            logs.closeQuietly();
            remove(name, id, out);
        }
    }

    /** Streams the job's output until its task is over; its exit code. */
    private int followJob(String id, String service, String what, ServiceLogs logs, Duration timeout) {
        calls.run("follow the output of " + what,
                () -> docker.logServiceCmd(id).withFollow(true).withStdout(true).withStderr(true).exec(logs));
        JsonNode task = awaitJobTask(id, service, what, timeout);
        logs.drain(LOG_DRAIN);
        String state = task.path("Status").path("State").asText();
        JsonNode exit = task.path("Status").path("ContainerStatus").path("ExitCode");
        if (!exit.isMissingNode() && !exit.isNull()) return exit.asInt();
        if (state.equals("complete")) return 0;
        throw new DockerException(what + " did not run: " + state + " — "
                + task.path("Status").path("Err").asText(task.path("Status").path("Message").asText("")));
    }

    /**
     * Removes a job service and its containers. The engine leaves the containers of finished job
     * tasks behind when their service is removed; those on this engine's node go here, and those
     * on other nodes stay until the swarm prunes them (they show in {@code docker ps -a} there).
     */
    private void remove(String name, String id, OutputSink out) {
        List<String> containers = new ArrayList<>();
        try {
            tasks.raw(id, name).forEach(t -> containers.add(t.path("Status").path("ContainerStatus").path("ContainerID").asText("")));
            api.delete("remove job " + name, "/services/" + id);
        } catch (EngineFailures.NotFound gone) {
            // removed meanwhile
        } catch (DockerException e) {
            out.line("could not remove the job service " + name + ": " + e.getMessage());
        }
        for (String container : containers) {
            if (container.isEmpty()) continue;
            try {
                // Not found: on another node, or removed by the engine already.
                calls.attempt("remove the job's container " + TaskReader.shortId(container),
                        () -> docker.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec(), NotFoundException.class);
            } catch (DockerException e) {
                out.line("could not remove the job's container " + TaskReader.shortId(container) + ": " + e.getMessage());
            }
        }
    }

    /** Waits for the job's task to finish; the raw task, for its exit code and error. */
    private JsonNode awaitJobTask(String id, String service, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonNode t : tasks.raw(id, service)) {
                if (DONE.contains(t.path("Status").path("State").asText())) return t;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new DockerException(what + " took longer than " + Durations.human(timeout) + "; the job was stopped");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DockerException(what + " was interrupted", e);
            }
        }
    }

    @Override
    public List<ServiceHealth> health(String stack) {
        List<ServiceHealth> result = new ArrayList<>();
        for (JsonNode s : api.get("list the services of stack " + stack, "/services?status=true&filters="
                + api.filters(Map.of("label", List.of(StackLabels.NAMESPACE + "=" + stack))))) {
            SwarmService service = toService(stack, s);
            JsonNode raw = tasks.raw(s.path("ID").asText(), service.name());
            Map<String, String> containers = new LinkedHashMap<>();
            raw.forEach(t -> containers.put(TaskReader.shortId(t.path("ID").asText()),
                    t.path("Status").path("ContainerStatus").path("ContainerID").asText("")));
            List<SwarmTask> wanted = tasks.tasks(raw, service.name()).stream()
                    .filter(t -> t.desiredState().equals("running") || t.desiredState().equals("ready"))
                    .map(t -> t.withHealth(containerHealth(containers.getOrDefault(t.id(), ""))))
                    .toList();
            result.add(new ServiceHealth(service, wanted));
        }
        result.sort(Comparator.comparing(h -> h.service().name()));
        return result;
    }

    /** The container's health where it runs on this engine's node; empty elsewhere or without a healthcheck. */
    private String containerHealth(String containerId) {
        if (containerId.isEmpty()) return "";
        return calls.find("read the health of container " + TaskReader.shortId(containerId),
                        () -> docker.inspectContainerCmd(containerId).exec().getState())
                .map(state -> state.getHealth())
                .map(HealthState::getStatus)
                .orElse("");
    }

    /** The stack service as the engine has it, or a message naming the services the stack does have. */
    private JsonNode inspect(String stack, String service) {
        String fullName = StackLabels.fullName(stack, service);
        JsonNode found;
        try {
            found = api.get("inspect service " + fullName, "/services/" + EngineApi.encode(fullName));
        } catch (EngineFailures.NotFound e) {
            List<String> names = services(stack).stream().map(SwarmService::name).toList();
            throw new DockerException("stack " + stack + " has no service " + service
                    + (names.isEmpty() ? " (there is no such stack on this swarm)" : " (it has " + String.join(", ", names) + ")"), e);
        }
        if (!stack.equals(found.path("Spec").path("Labels").path(StackLabels.NAMESPACE).asText())) {
            throw new DockerException("service " + fullName + " is not part of stack " + stack + " (no " + StackLabels.NAMESPACE + " label)");
        }
        return found;
    }
}
