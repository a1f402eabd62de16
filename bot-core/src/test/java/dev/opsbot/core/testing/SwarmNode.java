package dev.opsbot.core.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.SwarmSpec;
import java.util.List;

/**
 * Makes the local engine a single-node swarm manager for a test class: {@code docker swarm init
 * --advertise-addr 127.0.0.1} when it is in no swarm, and {@link #close()} leaves again only if
 * it initialised it (with the {@code docker_gwbridge} network swarm mode created, if it did).
 * An engine that is a swarm worker, or in a swarm it cannot manage, skips the test (fails under
 * OPSBOT_REQUIRE_DOCKER=1).
 */
public final class SwarmNode implements AutoCloseable {
    private static final String GWBRIDGE = "docker_gwbridge";

    private final DockerClient docker;
    private final boolean initialised;
    private final boolean gwbridgeBefore;

    private SwarmNode(DockerClient docker, boolean initialised, boolean gwbridgeBefore) {
        this.docker = docker;
        this.initialised = initialised;
        this.gwbridgeBefore = gwbridgeBefore;
    }

    /** @param docker a client of the local engine ({@link DockerSupport#client()}); the caller closes it after this */
    public static SwarmNode ensure(DockerClient docker) {
        return ensure(docker, "127.0.0.1");
    }

    /**
     * As {@link #ensure(DockerClient)}, the swarm advertised and listening on {@code address}
     * (port 2377), where other engines can join it. An engine already in a swarm is taken as it is
     * only when {@code address} is the loopback address: another node could not reach a swarm
     * advertised elsewhere, so that skips the test (fails under OPSBOT_REQUIRE_DOCKER=1).
     */
    public static SwarmNode ensure(DockerClient docker, String address) {
        SwarmInfo swarm = docker.infoCmd().exec().getSwarm();
        LocalNodeState state = swarm == null ? LocalNodeState.INACTIVE : swarm.getLocalNodeState();
        if (state == LocalNodeState.ACTIVE && !"127.0.0.1".equals(address)) {
            MissingRequirement.skipOrFail("the engine is already in a swarm (node address " + swarm.getNodeAddr() + "); this test initialises one advertised on "
                    + address + " for a second engine to join");
        }
        if (state == LocalNodeState.ACTIVE) {
            if (Boolean.TRUE.equals(swarm.getControlAvailable())) return new SwarmNode(docker, false, true);
            MissingRequirement.skipOrFail("the engine is a swarm worker; these tests need a manager");
        }
        if (state != LocalNodeState.INACTIVE) MissingRequirement.skipOrFail("the engine's swarm state is " + state + "; these tests need a manager or no swarm");
        boolean gwbridge = !docker.listNetworksCmd().withNameFilter(GWBRIDGE).exec().stream()
                .filter(n -> GWBRIDGE.equals(n.getName())).toList().isEmpty();
        docker.initializeSwarmCmd(new SwarmSpec()).withAdvertiseAddr(address).withListenAddr(address + ":2377").exec();
        return new SwarmNode(docker, true, gwbridge);
    }


    /** The token a worker joins this swarm with. */
    public String workerToken() {
        return docker.inspectSwarmCmd().exec().getJoinTokens().getWorker();
    }

    @Override
    public void close() {
        if (!initialised) return;
        docker.leaveSwarmCmd().withForceEnabled(true).exec();
        if (gwbridgeBefore) return;
        List<Network> gw = docker.listNetworksCmd().withNameFilter(GWBRIDGE).exec();
        for (Network n : gw) {
            if (!GWBRIDGE.equals(n.getName())) continue;
            try {
                docker.removeNetworkCmd(n.getId()).exec();
            } catch (NotFoundException ignored) {
                // gone already
            } catch (RuntimeException e) {
                System.err.println("could not remove " + GWBRIDGE + " after leaving the swarm: " + e.getMessage());
            }
        }
    }
}
