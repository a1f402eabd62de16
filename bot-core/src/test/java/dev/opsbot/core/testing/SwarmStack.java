package dev.opsbot.core.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.VolumeOptions;
import dev.opsbot.core.swarm.StackLabels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stack of its own on the local swarm, made the way {@code docker stack deploy} makes one:
 * services {@code <stack>_<service>} and their containers labelled with the stack's namespace
 * (services also with the image as the stack file names it), the overlay network
 * {@code <stack>_default}, named volumes {@code <stack>_<volume>}. {@link #close()} removes the
 * stack's services, network and volumes and nothing else.
 */
public final class SwarmStack implements AutoCloseable {
    public static final String DEMO = LocalRegistry.HOST + "/opsbot-demo/";
    private static final long SECOND = 1_000_000_000L;

    private final DockerClient docker;
    private final String name = "opsbot-sw-" + UUID.randomUUID().toString().substring(0, 8);
    private final String networkId;

    /** @param docker a client of the swarm's manager ({@link DockerSupport#client()}); the caller closes it */
    public SwarmStack(DockerClient docker) {
        this.docker = docker;
        this.networkId = docker.createNetworkCmd().withName(name + "_default").withDriver("overlay")
                .withLabels(Map.of(StackLabels.NAMESPACE, name)).exec().getId();
    }

    public String name() {
        return name;
    }

    public static String image(String service, String tag) {
        return DEMO + service + ":" + tag;
    }

    /**
     * The demo backend as a stack file would declare it: {@code replicas} tasks of {@code tag}, the
     * compose file's healthcheck made quicker (1 s interval, 2 retries), {@code init}, the volume
     * {@code dbdata} at /data, and the stack's {@code deploy.update_config} when given.
     */
    public String backend(int replicas, String tag, UpdateConfig updateConfig) {
        String image = image("backend", tag);
        ContainerSpec container = new ContainerSpec().withImage(image)
                .withLabels(Map.of(StackLabels.NAMESPACE, name))
                .withEnv(List.of("APP_ENV=demo"))
                .withInit(true)
                .withStopGracePeriod(2 * SECOND)
                .withHealthCheck(new HealthCheck().withTest(List.of("CMD", "wget", "-qO-", "http://localhost:8000/health"))
                        .withInterval(SECOND).withTimeout(SECOND).withRetries(2))
                .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(name + "_dbdata").withTarget("/data")
                        .withVolumeOptions(new VolumeOptions().withLabels(Map.of(StackLabels.NAMESPACE, name)))));
        ServiceSpec spec = new ServiceSpec().withName(StackLabels.fullName(name, "backend"))
                .withLabels(Map.of(StackLabels.NAMESPACE, name, StackLabels.IMAGE, image))
                .withTaskTemplate(new TaskSpec().withContainerSpec(container)
                        .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(networkId).withAliases(List.of("backend")))))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)));
        if (updateConfig != null) spec.withUpdateConfig(updateConfig);
        return docker.createServiceCmd(spec).exec().getId();
    }

    /** The demo worker as a stack file would declare it: {@code replicas} tasks of {@code tag}, no healthcheck. */
    public String worker(int replicas, String tag) {
        String image = image("worker", tag);
        ContainerSpec container = new ContainerSpec().withImage(image)
                .withLabels(Map.of(StackLabels.NAMESPACE, name))
                .withInit(true)
                .withStopGracePeriod(2 * SECOND);
        ServiceSpec spec = new ServiceSpec().withName(StackLabels.fullName(name, "worker"))
                .withLabels(Map.of(StackLabels.NAMESPACE, name, StackLabels.IMAGE, image))
                .withTaskTemplate(new TaskSpec().withContainerSpec(container)
                        .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(networkId).withAliases(List.of("worker")))))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)));
        return docker.createServiceCmd(spec).exec().getId();
    }

    /** Waits until the service has {@code replicas} running tasks on {@code tag} and no other task meant to run. */
    public void awaitRunning(String service, int replicas, String tag, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Task> current = List.of();
        while (System.nanoTime() - deadline < 0) {
            current = docker.listTasksCmd().withServiceFilter(StackLabels.fullName(name, service)).exec().stream()
                    .filter(t -> t.getDesiredState() == TaskState.RUNNING).toList();
            if (current.size() == replicas && current.stream().allMatch(t -> t.getStatus().getState() == TaskState.RUNNING
                    && t.getSpec().getContainerSpec().getImage().startsWith(image(service, tag)))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(service + " did not get " + replicas + " running task(s) of " + tag + " within "
                + timeout.toSeconds() + " s: " + current.stream().map(t -> t.getStatus().getState() + " " + t.getStatus().getErr()).toList());
    }

    /** The service as Docker has it (for what the product API does not show, like labels). */
    public Service inspect(String service) {
        return docker.inspectServiceCmd(StackLabels.fullName(name, service)).exec();
    }

    /** Every service labelled with this stack, whoever created it (the bot's jobs included). */
    public List<String> serviceNames() {
        return docker.listServicesCmd().withLabelFilter(Map.of(StackLabels.NAMESPACE, name)).exec().stream()
                .map(s -> s.getSpec().getName()).sorted().toList();
    }

    /** Containers of this stack the bot created (its jobs), wherever in their life they are. */
    public List<String> botContainers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(StackLabels.NAMESPACE, name, StackLabels.MANAGED_BY, "opsbot")).exec().stream()
                .map(c -> c.getNames()[0]).toList();
    }

    /**
     * Removes the stack's services. The engine takes some seconds to remove their containers, so a
     * test class can call this after each test and {@link #close()} once at the end, and the
     * teardown overlaps with the next test.
     */
    public void removeServices() {
        for (Service s : docker.listServicesCmd().withLabelFilter(Map.of(StackLabels.NAMESPACE, name)).exec()) {
            try {
                docker.removeServiceCmd(s.getId()).exec();
            } catch (NotFoundException ignored) {
                // gone
            }
        }
    }

    /** Removes the services, waits for their containers to go, then removes the network and volumes. */
    @Override
    public void close() throws InterruptedException {
        removeServices();
        // The engine removes the tasks' containers after the services; the network and volume are busy until then.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(StackLabels.NAMESPACE, name)).exec().isEmpty()
                && System.nanoTime() - deadline < 0) {
            Thread.sleep(200);
        }
        for (Network n : docker.listNetworksCmd().withFilter("label", List.of(StackLabels.NAMESPACE + "=" + name)).exec()) {
            removeNetwork(n.getId(), deadline);
        }
        removeVolumes();
    }

    /**
     * Removes the stack's volumes on this engine. A task the manager was still starting when the
     * services went can create its volume again after {@link #close()}; once the engine has left
     * the swarm nothing can, so a class that leaves calls this again afterwards.
     */
    public void removeVolumes() {
        List<InspectVolumeResponse> volumes = docker.listVolumesCmd()
                .withFilter("label", List.of(StackLabels.NAMESPACE + "=" + name)).exec().getVolumes();
        for (InspectVolumeResponse v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
            try {
                docker.removeVolumeCmd(v.getName()).exec();
            } catch (NotFoundException ignored) {
                // gone
            }
        }
    }

    private void removeNetwork(String id, long deadline) throws InterruptedException {
        while (true) {
            try {
                docker.removeNetworkCmd(id).exec();
                return;
            } catch (NotFoundException e) {
                return;
            } catch (RuntimeException e) {
                // still in use by a task the engine is tearing down
                if (System.nanoTime() - deadline > 0) throw e;
                Thread.sleep(200);
            }
        }
    }
}
