package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Container;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ServiceSpec;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.stream.OutputSink;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Output streamed from containers as it comes: one-off runs, commands run in a service's container, its log. */
final class ContainerStreams {
    /** How long a one-off whose output has ended may take to report its exit code. */
    private static final int EXIT_SECONDS = 10;

    private final DockerClient docker;
    private final EngineCalls calls;
    private final ProjectContainers containers;
    private final ProjectResources resources;
    private final Images images;

    ContainerStreams(DockerClient docker, EngineCalls calls, ProjectContainers containers, ProjectResources resources, Images images) {
        this.docker = docker;
        this.calls = calls;
        this.containers = containers;
        this.resources = resources;
        this.images = images;
    }

    /** Runs a one-off container of a service with a command, streams its output, removes it; returns the exit code. */
    int runOneOff(ComposeProject project, String service, List<String> command, OutputSink out, Duration timeout) {
        ServiceSpec spec = project.require(service);
        resources.ensureNetworksAndVolumes(project, out);
        if (!images.exists(spec.image())) images.pull(spec.image(), out, timeout);
        String name = project.name() + "-" + service + "-run-" + UUID.randomUUID().toString().substring(0, 12);
        String what = "run " + String.join(" ", command) + " in a one-off " + service + " container";
        String id = calls.call(what, () -> ContainerSpecs.create(docker, project, spec, name, true, command).exec().getId());
        try {
            calls.run(what, () -> docker.startContainerCmd(id).exec());
            calls.stream(what, new FrameSink(out),
                    logs -> docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(logs), timeout);
            Integer code = calls.call(what, () -> docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(EXIT_SECONDS, TimeUnit.SECONDS));
            return code == null ? -1 : code;
        } finally {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException ignored) {
                // best effort: the container is labelled as a one-off and will show in ps
            }
        }
    }

    /** Runs a command in the service's running container; returns the exit code. */
    int exec(ComposeProject project, String service, List<String> command, OutputSink out, Duration timeout) {
        Container container = running(project, service);
        String what = "run " + String.join(" ", command) + " in " + service + " (container " + ProjectContainers.name(container) + ")";
        String execId = calls.call(what, () -> docker.execCreateCmd(container.getId()).withCmd(command.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId());
        calls.stream(what, new FrameSink(out), sink -> docker.execStartCmd(execId).exec(sink), timeout);
        Long code = calls.call(what, () -> docker.inspectExecCmd(execId).exec().getExitCodeLong());
        return code == null ? -1 : code.intValue();
    }

    /** Writes the last {@code tail} lines of a service's log. */
    void logs(ComposeProject project, String service, int tail, OutputSink out, Duration timeout) {
        project.require(service);
        List<Container> found = containers.byService(project.name(), false).getOrDefault(service, List.of());
        if (found.isEmpty()) throw new DockerException("service " + service + " has no container");
        Container container = found.get(0);
        calls.stream("read the log of " + service + " (container " + ProjectContainers.name(container) + ")", new FrameSink(out),
                sink -> docker.logContainerCmd(container.getId()).withStdOut(true).withStdErr(true).withTail(tail).exec(sink), timeout);
    }

    /** The service's running container, or a failure saying it has none. */
    Container running(ComposeProject project, String service) {
        project.require(service);
        return containers.byService(project.name(), false).getOrDefault(service, List.of()).stream()
                .filter(c -> "running".equals(c.getState())).findFirst()
                .orElseThrow(() -> new DockerException("service " + service + " has no running container"));
    }
}
