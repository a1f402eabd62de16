package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ServiceSpec;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerUnavailableException;
import dev.opsbot.core.docker.UpResult;
import dev.opsbot.core.stream.OutputSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@code up}: creates or recreates the services whose configuration or image changed, the way
 * Docker Compose labels them. The containers to replace are stopped together, then the new ones
 * start in dependency order, the services of one level of the dependency graph together.
 */
final class ServiceUp implements AutoCloseable {
    private final DockerClient docker;
    private final EngineCalls calls;
    private final ProjectContainers containers;
    private final ProjectResources resources;
    private final Images images;
    private final TakenPorts takenPorts;
    private final ExecutorService parallel = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "opsbot-docker-up");
        t.setDaemon(true);
        return t;
    });

    ServiceUp(DockerClient docker, EngineCalls calls, ProjectContainers containers, ProjectResources resources, Images images,
              TakenPorts takenPorts) {
        this.docker = docker;
        this.takenPorts = takenPorts;
        this.calls = calls;
        this.containers = containers;
        this.resources = resources;
        this.images = images;
    }

    UpResult up(ComposeProject project, Collection<String> services, boolean removeOrphans, OutputSink out, Duration timeout) {
        resources.ensureNetworksAndVolumes(project, out);
        Map<String, List<Container>> existing = containers.byService(project.name(), false);
        List<String> ordered = project.startOrder(services);
        // What each service needs (images pulled where missing), all services at once.
        Map<String, Boolean> upToDate = new ConcurrentHashMap<>();
        inParallel(ordered, service -> upToDate.put(service,
                upToDate(project, service, existing.getOrDefault(service, List.of()), out, timeout)));
        // The containers to replace are stopped together: a service whose dependency is being
        // replaced cannot work until that dependency is back anyway.
        List<String> replaced = ordered.stream().filter(s -> !upToDate.get(s)).toList();
        takenPorts.refuseTaken(project, ordered.stream().filter(s -> !upToDate.get(s) || !running(existing.get(s))).toList(), existing);
        Map<String, List<Bind>> carried = new ConcurrentHashMap<>();
        inParallel(replaced, service -> {
            List<Container> old = existing.getOrDefault(service, List.of());
            if (!old.isEmpty()) carried.put(service, AnonymousVolumes.carried(old.get(0), project.require(service)));
            for (Container c : old) {
                out.line(service + ": stopping " + ProjectContainers.name(c));
                resources.removeContainer(c.getId(), ProjectContainers.name(c), false);
            }
        });
        for (List<String> level : levels(project, ordered)) {
            inParallel(level, service -> {
                if (upToDate.get(service)) startIfStopped(service, existing.get(service).get(0), out);
                else createAndStart(project, service, carried.getOrDefault(service, List.of()), out);
            });
        }
        List<String> recreated = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (String service : ordered) {
            if (upToDate.get(service)) unchanged.add(service);
            else if (existing.getOrDefault(service, List.of()).isEmpty()) created.add(service);
            else recreated.add(service);
        }
        List<String> orphans = removeOrphans ? removeOrphans(project, existing, out) : List.of();
        return new UpResult(recreated, created, unchanged, orphans);
    }

    /** The services in start order, grouped: each group depends only on earlier groups. */
    static List<List<String>> levels(ComposeProject project, List<String> ordered) {
        Map<String, Integer> level = new LinkedHashMap<>();
        List<List<String>> levels = new ArrayList<>();
        for (String service : ordered) {
            int l = 0;
            for (String dep : project.require(service).dependsOn()) {
                Integer d = level.get(dep);
                if (d != null) l = Math.max(l, d + 1);
            }
            level.put(service, l);
            while (levels.size() <= l) levels.add(new ArrayList<>());
            levels.get(l).add(service);
        }
        return levels;
    }

    /** Runs {@code work} for each service on its own thread; waits for all, then throws the first failure. */
    private void inParallel(List<String> services, Consumer<String> work) {
        if (services.size() == 1) {
            work.accept(services.get(0));
            return;
        }
        Map<String, Future<?>> running = new LinkedHashMap<>();
        for (String service : services) running.put(service, parallel.submit(() -> work.accept(service)));
        RuntimeException failure = null;
        for (Map.Entry<String, Future<?>> f : running.entrySet()) {
            try {
                f.getValue().get();
            } catch (InterruptedException e) {
                running.values().forEach(x -> x.cancel(true));
                Thread.currentThread().interrupt();
                throw new DockerException("interrupted while bringing " + f.getKey() + " up", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new DockerException(f.getKey() + ": " + e.getCause(), e.getCause());
                }
            }
        }
        if (failure != null) throw failure;
    }

    /** Whether the service's one container already runs this configuration and image (the image pulled if missing). */
    private boolean upToDate(ComposeProject project, String service, List<Container> current, OutputSink out, Duration timeout) {
        ServiceSpec spec = project.require(service);
        String hash = ContainerSpecs.configHash(spec);
        if (!images.exists(spec.image())) images.pull(spec.image(), out, timeout);
        String imageId = images.id(spec.image())
                .orElseThrow(() -> new DockerException("cannot bring " + service + " up: its image " + spec.image() + " is gone"));
        return current.size() == 1
                && hash.equals(current.get(0).getLabels().get(ComposeLabels.CONFIG_HASH))
                && imageId.equals(current.get(0).getImageId());
    }

    private void startIfStopped(String service, Container c, OutputSink out) {
        if ("running".equals(c.getState())) {
            out.line(service + ": up to date");
            return;
        }
        out.line(service + ": starting");
        calls.run("start " + service + " (container " + ProjectContainers.name(c) + ")", () -> docker.startContainerCmd(c.getId()).exec());
    }

    private void createAndStart(ComposeProject project, String service, List<Bind> carried, OutputSink out) {
        ServiceSpec spec = project.require(service);
        String name = project.name() + "-" + service + "-1";
        out.line(service + ": creating " + name + " from " + spec.image());
        String id = calls.call("create " + service + " (container " + name + ")",
                () -> ContainerSpecs.create(docker, project, spec, name, false, null, carried).exec().getId());
        connectExtraNetworks(spec, id, name);
        try {
            calls.run("start " + name, () -> docker.startContainerCmd(id).exec());
        } catch (DockerUnavailableException e) {
            throw e;
        } catch (DockerException e) {
            throw new DockerException(service + " will not start: " + e.getMessage() + heldBy(spec, e), e.nextStep(), e);
        }
        out.line(service + ": started");
    }

    private static boolean running(List<Container> containers) {
        return containers != null && containers.size() == 1 && "running".equals(containers.get(0).getState());
    }

    /** When a port was taken between the check and the start: who has it, where that can be known. */
    private String heldBy(ServiceSpec spec, DockerException e) {
        String m = e.getMessage();
        if (!m.contains("address already in use") && !m.contains("port is already allocated")) return "";
        for (ServiceSpec.Port p : spec.ports()) {
            if (!p.hostPort().matches("\\d+") || !m.contains(":" + p.hostPort())) continue;
            try {
                return takenPorts.holder(Integer.parseInt(p.hostPort())).map(h -> " (port " + p.hostPort() + " is held by " + h + ")").orElse("");
            } catch (DockerException unknown) {
                return "";
            }
        }
        return "";
    }

    private void connectExtraNetworks(ServiceSpec spec, String containerId, String name) {
        for (String network : spec.networks().subList(1, spec.networks().size())) {
            calls.run("connect " + name + " to network " + network, () -> docker.connectToNetworkCmd().withNetworkId(network)
                    .withContainerId(containerId)
                    .withContainerNetwork(new ContainerNetwork().withAliases(spec.name()))
                    .exec());
        }
    }

    private List<String> removeOrphans(ComposeProject project, Map<String, List<Container>> existing, OutputSink out) {
        List<String> orphans = new ArrayList<>();
        existing.forEach((service, list) -> {
            if (project.services().containsKey(service)) return;
            for (Container c : list) {
                out.line("removing orphan " + ProjectContainers.name(c) + " (service " + service + " is no longer in the file)");
                resources.removeContainer(c.getId(), ProjectContainers.name(c), false);
            }
            orphans.add(service);
        });
        return orphans;
    }

    @Override
    public void close() {
        parallel.shutdownNow();
    }
}
