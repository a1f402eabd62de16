package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Network;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.stream.OutputSink;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A project's networks and volumes, made and removed the way Docker Compose does; and containers stopped and removed. */
final class ProjectResources {
    private static final int STOP_SECONDS = 10;

    private final DockerClient docker;
    private final EngineCalls calls;

    ProjectResources(DockerClient docker, EngineCalls calls) {
        this.docker = docker;
        this.calls = calls;
    }

    /** Creates the project's networks its services use, and its volumes, where missing. */
    void ensureNetworksAndVolumes(ComposeProject project, OutputSink out) {
        Set<String> wanted = new HashSet<>();
        project.services().values().forEach(s -> wanted.addAll(s.networks()));
        for (Map.Entry<String, String> n : project.networks().entrySet()) {
            if (!wanted.contains(n.getValue())) continue;
            List<Network> found = calls.call("look up network " + n.getValue(),
                    () -> docker.listNetworksCmd().withNameFilter(n.getValue()).exec());
            if (found.stream().noneMatch(f -> n.getValue().equals(f.getName()))) {
                out.line("creating network " + n.getValue());
                calls.run("create network " + n.getValue(), () -> docker.createNetworkCmd().withName(n.getValue()).withDriver("bridge")
                        .withLabels(ComposeLabels.network(project, n.getKey())).exec());
            }
        }
        for (Map.Entry<String, String> v : project.volumes().entrySet()) {
            if (calls.find("inspect volume " + v.getValue(), () -> docker.inspectVolumeCmd(v.getValue()).exec()).isEmpty()) {
                out.line("creating volume " + v.getValue());
                calls.run("create volume " + v.getValue(), () -> docker.createVolumeCmd().withName(v.getValue())
                        .withLabels(ComposeLabels.volume(project, v.getKey())).exec());
            }
        }
    }

    /**
     * Stops and removes a container; one already stopped or gone is fine. With {@code anonymousVolumes}
     * the volumes only it had (those of its image's {@code VOLUME}s the file does not mount) go too,
     * as {@code docker compose down -v} removes them; without, they stay for its successor.
     */
    void removeContainer(String id, String name, boolean anonymousVolumes) {
        calls.attempt("stop container " + name, () -> docker.stopContainerCmd(id).withTimeout(STOP_SECONDS).exec(),
                NotModifiedException.class, NotFoundException.class);
        calls.attempt("remove container " + name, () -> docker.removeContainerCmd(id).withForce(true)
                .withRemoveVolumes(anonymousVolumes).exec(), NotFoundException.class);
    }

    /** Removes a volume by name; one already gone is fine. */
    void removeVolume(String name) {
        calls.attempt("remove volume " + name, () -> docker.removeVolumeCmd(name).exec(), NotFoundException.class);
    }

    /** Removes the project's networks, and with {@code volumes} the volumes it made (not external ones). */
    void removeNetworksAndVolumes(ComposeProject project, boolean volumes) {
        for (Network n : calls.call("list the networks of project " + project.name(), () -> docker.listNetworksCmd()
                .withFilter("label", List.of(ComposeLabels.PROJECT + "=" + project.name())).exec())) {
            calls.attempt("remove network " + n.getName(), () -> docker.removeNetworkCmd(n.getId()).exec(), NotFoundException.class);
        }
        if (!volumes) return;
        for (String v : project.volumes().values()) {
            boolean ours = calls.find("inspect volume " + v, () -> docker.inspectVolumeCmd(v).exec())
                    .map(inspect -> inspect.getLabels() != null && project.name().equals(inspect.getLabels().get(ComposeLabels.PROJECT)))
                    .orElse(false);
            if (ours) removeVolume(v);
        }
    }
}
