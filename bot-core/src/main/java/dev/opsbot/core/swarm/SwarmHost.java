package dev.opsbot.core.swarm;

import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.stream.OutputSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Docker Swarm as runbook steps see it: a target is a stack (the services labelled
 * {@code com.docker.stack.namespace=<stack>}, named {@code <stack>_<service>}); services are named
 * without the stack prefix here. The engine performs rolling updates and rollbacks itself; these
 * calls ask for them and follow them. Nothing of docker-java leaks out; failures are
 * {@link DockerException}s with a message fit for the channel.
 */
public interface SwarmHost {

    /** The stack's services, by name; empty when there is no such stack. */
    List<SwarmService> services(String stack);

    /**
     * Points each service at a new image (everything else in its spec stays) with the given update
     * policy, and follows the rolling updates until they are over or {@code timeout} passes. Services
     * already on their image are left alone and reported converged.
     *
     * @param images service name (without the stack prefix) to image reference
     */
    DeployResult deploy(String stack, Map<String, String> images, UpdatePolicy policy, SwarmListener listener, Duration timeout);

    /** The same, with each service's own update policy (the stack file's {@code deploy.update_config}). */
    DeployResult deploy(String stack, Map<String, String> images, SwarmListener listener, Duration timeout);

    /**
     * The engine's own rollback to the service's previous spec (what {@code docker service rollback}
     * does), followed until it is over; converged means the service is back on the previous spec.
     */
    UpdateOutcome rollback(String stack, String service, SwarmListener listener, Duration timeout);

    /** Rolls a service back (or forward) to a tag of the image it runs: a deploy of that tag. */
    default UpdateOutcome rollbackTo(String stack, String service, String tag, UpdatePolicy policy,
                                     SwarmListener listener, Duration timeout) {
        SwarmService current = services(stack).stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow(() -> new DockerException("stack " + stack + " has no service " + service));
        String image = ImageRef.parse(current.image()).withTag(tag).toString();
        return deploy(stack, Map.of(service, image), policy, listener, timeout).outcome(service);
    }

    /**
     * Runs {@code command} once as a job (a {@code replicated-job} service) with the image,
     * environment, mounts and networks of a stack service, streams its output to {@code out},
     * and removes the job afterwards whatever happened; returns the command's exit code.
     */
    default int runJob(String stack, String service, List<String> command, OutputSink out, Duration timeout) {
        return runJob(stack, service, null, command, out, timeout);
    }

    /**
     * The same with another image than the service runs now (null: the service's): a migration
     * runs with the image about to be rolled out, as {@code docker compose run} after a pin would.
     */
    int runJob(String stack, String service, String image, List<String> command, OutputSink out, Duration timeout);

    /** Per service, the tasks Docker wants running with their state and container health, on every node. */
    List<ServiceHealth> health(String stack);
}
