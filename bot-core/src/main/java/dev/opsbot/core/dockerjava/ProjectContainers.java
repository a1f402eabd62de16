package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.ServiceContainer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The containers of a compose project, found by its label: one query for everything that needs
 * them, and the registry digest of the images they run (kept per image id, which names content).
 */
final class ProjectContainers {
    /** An image without a digest is asked again after this: it may have been pushed since. */
    private static final long NO_DIGEST_KEPT = Duration.ofSeconds(30).toNanos();

    /** An image's digest as last read ("" for none), and when. */
    private record Digest(String value, long readAtNanos) { }

    private final DockerClient docker;
    private final EngineCalls calls;
    private final Map<String, Digest> digests = new ConcurrentHashMap<>();

    ProjectContainers(DockerClient docker, EngineCalls calls) {
        this.docker = docker;
        this.calls = calls;
    }

    /** Every container of the project, running or not, one-offs included. */
    List<Container> all(String project) {
        return calls.read("list the containers of project " + project, () -> docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ComposeLabels.PROJECT, project)).exec());
    }

    /** The project's service containers (or, with {@code oneOff}, its one-off containers) by service. */
    Map<String, List<Container>> byService(String project, boolean oneOff) {
        Map<String, List<Container>> byService = new LinkedHashMap<>();
        for (Container c : all(project)) {
            Map<String, String> labels = labels(c);
            if (oneOff != "True".equals(labels.get(ComposeLabels.ONEOFF))) continue;
            byService.computeIfAbsent(labels.getOrDefault(ComposeLabels.SERVICE, ""), k -> new ArrayList<>()).add(c);
        }
        return byService;
    }

    /** As {@code docker compose ps -a} lists them: by service, then name. */
    List<ServiceContainer> ps(String project) {
        return all(project).stream().map(this::toServiceContainer)
                .sorted(Comparator.comparing(ServiceContainer::service).thenComparing(ServiceContainer::name))
                .toList();
    }

    private ServiceContainer toServiceContainer(Container c) {
        Map<String, String> labels = labels(c);
        String status = c.getStatus() == null ? "" : c.getStatus();
        String health = status.contains("(healthy)") ? "healthy" : status.contains("(unhealthy)") ? "unhealthy"
                : status.contains("health: starting") ? "starting" : "";
        String imageId = c.getImageId() == null ? "" : c.getImageId();
        return new ServiceContainer(c.getId(), name(c), labels.getOrDefault(ComposeLabels.SERVICE, ""), c.getImage(),
                c.getState(), health, status, "True".equals(labels.get(ComposeLabels.ONEOFF)), imageId, digest(imageId, c.getImage()));
    }

    /** The registry digest of the image, the one of the container's repository where it has several; empty when it has none. */
    private String digest(String imageId, String reference) {
        if (imageId.isEmpty()) return "";
        Digest known = digests.get(imageId);
        if (known != null && (!known.value().isEmpty() || System.nanoTime() - known.readAtNanos() < NO_DIGEST_KEPT)) return known.value();
        List<String> repoDigests = calls.find("inspect image " + imageId, () -> docker.inspectImageCmd(imageId).exec().getRepoDigests())
                .filter(Objects::nonNull).orElse(List.of());
        String repository = reference == null ? "" : ImageRef.parse(reference).repository() + "@";
        String digest = repoDigests.stream().filter(d -> d.startsWith(repository)).findFirst()
                .orElse(repoDigests.isEmpty() ? "" : repoDigests.get(0));
        digests.put(imageId, new Digest(digest, System.nanoTime()));
        return digest;
    }

    /** The container's name without the leading slash the engine reports; its short id when it has none. */
    static String name(Container c) {
        return c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId().substring(0, 12);
    }

    private static Map<String, String> labels(Container c) {
        return c.getLabels() == null ? Map.of() : c.getLabels();
    }
}
