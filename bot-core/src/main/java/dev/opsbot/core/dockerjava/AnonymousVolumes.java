package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerMount;
import com.github.dockerjava.api.model.Volume;
import dev.opsbot.core.compose.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The volumes a container had of its own: made by the engine for its image's {@code VOLUME}s
 * that the compose file does not mount. Like Docker Compose, a recreated service keeps them — its
 * new container mounts them where the old one did — so a deploy does not start it empty.
 */
final class AnonymousVolumes {
    /** The engine names a volume it makes for a container with 64 hex digits. */
    private static final Pattern ANONYMOUS = Pattern.compile("[0-9a-f]{64}");

    private AnonymousVolumes() {
    }

    /** The old container's anonymous volumes, to mount in its successor where the file mounts nothing. */
    static List<Bind> carried(Container old, ServiceSpec spec) {
        Set<String> mounted = spec.mounts().stream().map(ServiceSpec.Mount::target).collect(Collectors.toSet());
        List<Bind> carried = new ArrayList<>();
        for (ContainerMount m : of(old)) {
            if (m.getDestination() != null && !mounted.contains(m.getDestination())) {
                carried.add(new Bind(m.getName(), new Volume(m.getDestination())));
            }
        }
        return carried;
    }

    /**
     * The names of the container's anonymous volumes. The engine removes with the container only
     * those it made for it; one carried over is mounted by name, so it is removed by name.
     */
    static List<String> names(Container container) {
        return of(container).stream().map(ContainerMount::getName).toList();
    }

    private static List<ContainerMount> of(Container container) {
        if (container.getMounts() == null) return List.of();
        return container.getMounts().stream().filter(m -> m.getName() != null && ANONYMOUS.matcher(m.getName()).matches()).toList();
    }
}
