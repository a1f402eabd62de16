package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.docker.UpResult;
import dev.opsbot.core.stream.OutputSink;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link DockerHost} on the Engine API through docker-java, labelled like Docker Compose. The
 * work is done by one class per job ({@link ServiceUp}, {@link ContainerStreams}, {@link Images},
 * {@link ProjectResources}); what is left here is short enough to read in one go.
 */
final class DockerJavaHost implements DockerHost, AutoCloseable {
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    private static final int STOP_SECONDS = 10;

    private final DockerClient docker;
    private final String endpoint;
    private final EngineCalls calls;
    private final ProjectContainers containers;
    private final ProjectResources resources;
    private final Images images;
    private final ServiceUp up;
    private final ContainerStreams streams;
    private final RecentListings listings;

    DockerJavaHost(DockerClient docker, String endpoint, EngineCalls calls, ProjectContainers containers, RecentListings listings) {
        this.docker = docker;
        this.listings = listings;
        this.endpoint = endpoint;
        this.calls = calls;
        this.containers = containers;
        this.resources = new ProjectResources(docker, calls);
        this.images = new Images(docker, calls);
        this.up = new ServiceUp(docker, calls, containers, resources, images,
                new TakenPorts(docker, calls, onThisMachine(endpoint) ? Optional.of(new ListeningProcesses()) : Optional.empty()));
        this.streams = new ContainerStreams(docker, calls, containers, resources, images);
    }

    @Override
    public String ping() {
        return calls.within("ask for its version", PING_TIMEOUT, () -> docker.versionCmd().exec().getVersion());
    }

    @Override
    public List<ServiceContainer> ps(ComposeProject project) {
        return containers.ps(project.name());
    }

    @Override
    public List<ServiceContainer> recentPs(ComposeProject project) {
        return listings.recent(project.name(), () -> containers.ps(project.name()));
    }

    @Override
    public boolean imageExists(String image) {
        return images.exists(image);
    }

    @Override
    public void pull(String image, OutputSink out, Duration timeout) {
        listings.change(() -> images.pull(image, out, timeout));
    }

    @Override
    public UpResult up(ComposeProject project, Collection<String> services, boolean removeOrphans, OutputSink out, Duration timeout) {
        return listings.change(() -> up.up(project, services, removeOrphans, out, timeout));
    }

    @Override
    public int runOneOff(ComposeProject project, String service, List<String> command, OutputSink out, Duration timeout) {
        return listings.change(() -> streams.runOneOff(project, service, command, out, timeout));
    }

    @Override
    public int exec(ComposeProject project, String service, List<String> command, OutputSink out, Duration timeout) {
        return listings.change(() -> streams.exec(project, service, command, out, timeout));
    }

    @Override
    public void logs(ComposeProject project, String service, int tail, OutputSink out, Duration timeout) {
        streams.logs(project, service, tail, out, timeout);
    }

    @Override
    public void restart(ComposeProject project, Collection<String> services, OutputSink out, Duration timeout) {
        listings.change(() -> restartEach(project, services, out));
    }

    private void restartEach(ComposeProject project, Collection<String> services, OutputSink out) {
        Map<String, List<Container>> existing = containers.byService(project.name(), false);
        for (String service : project.startOrder(services)) {
            List<Container> found = existing.getOrDefault(service, List.of());
            if (found.isEmpty()) throw new DockerException("service " + service + " has no container to restart");
            for (Container c : found) {
                String name = ProjectContainers.name(c);
                out.line(service + ": restarting " + name);
                calls.run("restart " + service + " (container " + name + ")",
                        () -> docker.restartContainerCmd(c.getId()).withTimeout(STOP_SECONDS).exec());
            }
        }
    }

    @Override
    public int pruneDangling(Collection<String> repositories, OutputSink out) {
        return listings.change(() -> images.pruneDangling(repositories, out));
    }

    @Override
    public Optional<Integer> publishedPort(ComposeProject project, String service, int containerPort) {
        Container container = streams.running(project, service);
        String what = "read the ports of " + service + " (container " + ProjectContainers.name(container) + ")";
        InspectContainerResponse inspect = calls.call(what, () -> docker.inspectContainerCmd(container.getId()).exec());
        Ports.Binding[] bindings = inspect.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null) return Optional.empty();
        for (Ports.Binding b : bindings) {
            if (b.getHostPortSpec() != null && !b.getHostPortSpec().isEmpty()) {
                return Optional.of(Integer.parseInt(b.getHostPortSpec()));
            }
        }
        return Optional.empty();
    }

    /** The host of a {@code tcp://} endpoint (a port published there listens on that machine); 127.0.0.1 for a local socket. */
    @Override
    public String publishedHost() {
        return publishedHost(endpoint);
    }

    /** Whether the engine's published ports are this machine's: a local socket, or TCP on loopback. */
    static boolean onThisMachine(String endpoint) {
        if (endpoint == null || endpoint.startsWith("unix://")) return true;
        if (!endpoint.startsWith("tcp://")) return false;
        String host = URI.create(endpoint).getHost();
        return "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
    }

    static String publishedHost(String endpoint) {
        if (endpoint != null && endpoint.startsWith("tcp://")) {
            String host = URI.create(endpoint).getHost();
            if (host != null && !host.isEmpty() && !host.equals("0.0.0.0")) return host;
        }
        return "127.0.0.1";
    }

    @Override
    public void down(ComposeProject project, boolean volumes, Duration timeout) {
        listings.change(() -> {
            for (Container c : containers.all(project.name())) {
                resources.removeContainer(c.getId(), ProjectContainers.name(c), volumes);
                if (volumes) AnonymousVolumes.names(c).forEach(resources::removeVolume);
            }
            resources.removeNetworksAndVolumes(project, volumes);
        });
    }

    @Override
    public void close() {
        up.close();
    }
}
