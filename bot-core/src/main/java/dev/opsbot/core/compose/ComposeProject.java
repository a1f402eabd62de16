package dev.opsbot.core.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A compose project as read from its file at one moment: the project name, where it lives,
 * its services in file order, and the named volumes and networks it declares.
 */
public record ComposeProject(String name, Path file, Map<String, ServiceSpec> services,
                             Map<String, String> volumes, Map<String, String> networks,
                             Set<String> envFiles) {

    public ComposeProject {
        services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
        volumes = Map.copyOf(volumes);
        networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
        envFiles = Set.copyOf(envFiles);
    }

    public Path directory() {
        return file.toAbsolutePath().getParent();
    }

    public Optional<ServiceSpec> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    public ServiceSpec require(String service) {
        ServiceSpec spec = services.get(service);
        if (spec == null) {
            throw new ComposeException("service " + service + " is not in " + file.getFileName()
                    + " (services: " + String.join(", ", services.keySet()) + ")");
        }
        return spec;
    }

    /** The project's default network name, as Docker Compose names it. */
    public String defaultNetwork() {
        return networks.getOrDefault("default", name + "_default");
    }

    /** Services ordered so that each comes after the services it depends on. */
    public List<String> startOrder(Iterable<String> wanted) {
        Set<String> ordered = new LinkedHashSet<>();
        for (String s : wanted) visit(s, ordered, new LinkedHashSet<>());
        return new ArrayList<>(ordered);
    }

    private void visit(String service, Set<String> ordered, Set<String> path) {
        if (ordered.contains(service)) return;
        if (!path.add(service)) {
            throw new ComposeException("depends_on has a cycle: " + String.join(" -> ", path) + " -> " + service);
        }
        for (String dep : require(service).dependsOn()) visit(dep, ordered, path);
        path.remove(service);
        ordered.add(service);
    }
}
