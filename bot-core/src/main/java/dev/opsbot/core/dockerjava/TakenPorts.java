package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ServiceSpec;
import dev.opsbot.core.docker.DockerException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Host ports a stack is about to publish that something else already holds. Checked before
 * {@code up} stops anything: Docker itself only finds out when the new container starts, after the
 * old one is gone, and the service would be down. The holder is named where it can be known: a
 * container of any project (from the engine), or a process when the engine runs on this machine
 * and this process sees its network.
 */
final class TakenPorts {
    private final DockerClient docker;
    private final EngineCalls calls;
    private final Optional<ListeningProcesses> processes;
    private volatile Boolean sameNetwork;

    /** @param processes how to see this machine's listening processes; empty when the engine runs elsewhere */
    TakenPorts(DockerClient docker, EngineCalls calls, Optional<ListeningProcesses> processes) {
        this.docker = docker;
        this.calls = calls;
        this.processes = processes;
    }

    /** Throws, naming the service, the port and its holder, when one of {@code services}' fixed host ports is held by anything but the project. */
    void refuseTaken(ComposeProject project, Collection<String> services, Map<String, List<Container>> existing) {
        Set<Integer> ownPorts = new HashSet<>();
        existing.values().forEach(list -> list.forEach(c -> ownPorts.addAll(published(c))));
        for (String service : services) {
            for (ServiceSpec.Port p : project.require(service).ports()) {
                if (!"tcp".equalsIgnoreCase(p.protocol()) || !p.hostPort().matches("\\d+") || "0".equals(p.hostPort())) continue;
                int port = Integer.parseInt(p.hostPort());
                // The project's own containers free their ports when they are replaced.
                if (ownPorts.contains(port)) continue;
                Optional<String> holder = holder(port);
                if (holder.isPresent()) {
                    throw new DockerException("cannot bring " + service + " up: host port " + port + " is taken by " + holder.get()
                            + ". Nothing was stopped or replaced: what ran before still runs.",
                            "Free port " + port + ", or publish " + service + " on another port in the compose file, then run again.", null);
                }
            }
        }
    }

    /** Who holds {@code port}: another container, or a process of this machine. */
    Optional<String> holder(int port) {
        List<Container> running = calls.read("list the running containers", () -> docker.listContainersCmd().exec());
        for (Container c : running) {
            if (published(c).contains(port)) return Optional.of("container " + ProjectContainers.name(c));
        }
        return processes.filter(this::sameNetwork).flatMap(p -> p.on(port));
    }

    /**
     * Whether this process sees the engine host's network: a bot in a container of its own (the
     * engine's socket mounted) sees only its container's, where its own listeners are no host ports.
     * Such a container has a host name of its own, so the engine's and this machine's are compared.
     */
    private boolean sameNetwork(ListeningProcesses p) {
        Boolean known = sameNetwork;
        if (known == null) {
            String engineHost = calls.read("ask the engine for its host name", () -> docker.infoCmd().exec().getName());
            known = engineHost != null && p.hostName().map(engineHost::equals).orElse(false);
            sameNetwork = known;
        }
        return known;
    }

    private static Set<Integer> published(Container c) {
        Set<Integer> ports = new HashSet<>();
        if (c.getPorts() == null) return ports;
        for (ContainerPort p : c.getPorts()) {
            if (p.getPublicPort() != null) ports.add(p.getPublicPort());
        }
        return ports;
    }
}
