package dev.opsbot.core.compose;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** One service of the compose file, interpolated and normalised: what a container is created from. */
public record ServiceSpec(
        String name,
        String image,
        List<String> command,
        List<String> entrypoint,
        Map<String, String> environment,
        List<Port> ports,
        List<Mount> mounts,
        List<String> networks,
        List<String> dependsOn,
        Health healthcheck,
        String restart,
        Map<String, String> labels,
        boolean init,
        String user,
        String workingDir) {

    /** Unmodifiable, so that one loaded project can be handed to every reader. */
    public ServiceSpec {
        command = command == null ? null : Collections.unmodifiableList(command);
        entrypoint = entrypoint == null ? null : Collections.unmodifiableList(entrypoint);
        environment = environment == null ? null : Collections.unmodifiableMap(environment);
        ports = ports == null ? null : Collections.unmodifiableList(ports);
        mounts = mounts == null ? null : Collections.unmodifiableList(mounts);
        networks = networks == null ? null : Collections.unmodifiableList(networks);
        dependsOn = dependsOn == null ? null : Collections.unmodifiableList(dependsOn);
        labels = labels == null ? null : Collections.unmodifiableMap(labels);
    }

    /** A published port: {@code hostIp:hostPort:containerPort/protocol}; hostPort empty means any. */
    public record Port(String hostIp, String hostPort, int containerPort, String protocol) { }

    /** A bind mount (source is an absolute host path) or a named volume (source is the volume's full name). */
    public record Mount(String source, String target, boolean readOnly, boolean named) { }

    /** A Docker healthcheck; test as Docker expects it (["CMD", ...] or ["CMD-SHELL", "..."] or ["NONE"]). */
    public record Health(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) { }

    public ImageRef imageRef() {
        return ImageRef.parse(image);
    }
}
