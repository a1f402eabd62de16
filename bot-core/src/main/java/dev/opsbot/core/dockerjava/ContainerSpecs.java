package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ServiceSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;


/** Turns a compose service into a container create command, and hashes its configuration. */
final class ContainerSpecs {
    private ContainerSpecs() {
    }

    /**
     * A stable hash of everything that decides how the service's container is made. The spec's
     * record form is canonical: its maps are sorted and its lists keep the file's order.
     */
    static String configHash(ServiceSpec spec) {
        try {
            byte[] canonical = spec.toString().getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static CreateContainerCmd create(DockerClient docker, ComposeProject project, ServiceSpec spec,
                                     String name, boolean oneOff, List<String> commandOverride) {
        return create(docker, project, spec, name, oneOff, commandOverride, List.of());
    }

    /** As above, with {@code carried}: a replaced container's anonymous volumes, mounted where they were. */
    static CreateContainerCmd create(DockerClient docker, ComposeProject project, ServiceSpec spec,
                                     String name, boolean oneOff, List<String> commandOverride, List<Bind> carried) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(spec.networks().get(0))
                .withInit(spec.init() ? Boolean.TRUE : null);
        if (!oneOff) {
            host.withRestartPolicy(restart(spec.restart()));
            Ports bindings = new Ports();
            for (ServiceSpec.Port p : spec.ports()) {
                ExposedPort exposed = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
                String hostIp = p.hostIp().isEmpty() ? null : p.hostIp();
                String hostPort = p.hostPort().isEmpty() || "0".equals(p.hostPort()) ? null : p.hostPort();
                bindings.bind(exposed, new Ports.Binding(hostIp, hostPort));
            }
            host.withPortBindings(bindings);
        }
        List<Bind> binds = new ArrayList<>();
        for (ServiceSpec.Mount m : spec.mounts()) {
            binds.add(new Bind(m.source(), new Volume(m.target()),
                    m.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        binds.addAll(carried);
        host.withBinds(binds);

        CreateContainerCmd cmd = docker.createContainerCmd(spec.image())
                .withName(name)
                .withHostConfig(host)
                .withLabels(ComposeLabels.container(project, spec.name(), oneOff, configHash(spec)))
                .withEnv(spec.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withAliases(oneOff ? List.of() : List.of(spec.name()));
        if (!spec.ports().isEmpty() && !oneOff) {
            cmd.withExposedPorts(spec.ports().stream()
                    .map(p -> new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()))).toList());
        }
        List<String> command = commandOverride != null ? commandOverride : spec.command();
        if (command != null) cmd.withCmd(command);
        if (spec.entrypoint() != null) cmd.withEntrypoint(spec.entrypoint());
        if (spec.user() != null) cmd.withUser(spec.user());
        if (spec.workingDir() != null) cmd.withWorkingDir(spec.workingDir());
        if (spec.healthcheck() != null && !oneOff) cmd.withHealthcheck(health(spec.healthcheck()));
        if (oneOff) {
            cmd.withAttachStdout(true).withAttachStderr(true).withTty(false);
        }
        return cmd;
    }

    private static HealthCheck health(ServiceSpec.Health h) {
        HealthCheck check = new HealthCheck().withTest(h.test()).withRetries(h.retries());
        // The Engine API takes healthcheck durations in nanoseconds.
        if (h.interval() != null) check.withInterval(h.interval().toNanos());
        if (h.timeout() != null) check.withTimeout(h.timeout().toNanos());
        if (h.startPeriod() != null) check.withStartPeriod(h.startPeriod().toNanos());
        return check;
    }

    private static RestartPolicy restart(String policy) {
        return switch (policy) {
            case "always" -> RestartPolicy.alwaysRestart();
            case "unless-stopped" -> RestartPolicy.unlessStoppedRestart();
            case "on-failure" -> RestartPolicy.onFailureRestart(0);
            default -> policy.startsWith("on-failure:")
                    ? RestartPolicy.onFailureRestart(Integer.parseInt(policy.substring(11)))
                    : RestartPolicy.noRestart();
        };
    }

}
