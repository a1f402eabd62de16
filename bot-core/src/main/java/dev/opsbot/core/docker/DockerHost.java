package dev.opsbot.core.docker;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.stream.OutputSink;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The Docker host as runbook steps see it: compose-project operations, nothing of docker-java
 * leaks out. Every call is bounded in time; failures are {@link DockerException}s with a message
 * fit for the channel.
 */
public interface DockerHost {

    /** Checks the engine answers; returns its version. */
    String ping();

    /** The project's containers, running or not, one-offs included, as the engine lists them now. */
    List<ServiceContainer> ps(ComposeProject project);

    /**
     * The project's containers as listed at most a second ago, for answers to people: a burst of
     * questions shares one listing. Changes the bot makes through this host show at once.
     */
    default List<ServiceContainer> recentPs(ComposeProject project) {
        return ps(project);
    }

    boolean imageExists(String image);

    /** Pulls an image, writing progress to {@code out}. */
    void pull(String image, OutputSink out, Duration timeout);

    /**
     * Creates or recreates the services whose configuration changed: the containers to replace
     * are stopped together, then the new ones start in dependency order (the services of one
     * level of the dependency graph together),
     * starts stopped ones, and optionally removes containers of services no longer in the file.
     */
    UpResult up(ComposeProject project, Collection<String> services, boolean removeOrphans, OutputSink out, Duration timeout);

    /** Runs a one-off container of a service with a command, streams its output, removes it; returns the exit code. */
    int runOneOff(ComposeProject project, String service, List<String> command, OutputSink out, Duration timeout);

    /** Runs a command in the service's running container; returns the exit code. */
    int exec(ComposeProject project, String service, List<String> command, OutputSink out, Duration timeout);

    /** Writes the last {@code tail} lines of a service's log. */
    void logs(ComposeProject project, String service, int tail, OutputSink out, Duration timeout);

    void restart(ComposeProject project, Collection<String> services, OutputSink out, Duration timeout);

    /** Removes dangling images that came from the given repositories; returns how many. */
    int pruneDangling(Collection<String> repositories, OutputSink out);

    /** The host port published for a service's container port, if any. */
    Optional<Integer> publishedPort(ComposeProject project, String service, int containerPort);

    /**
     * The address a published port is reached at from the bot: the engine's host when it is
     * reached over TCP, 127.0.0.1 when it is on a local socket.
     */
    default String publishedHost() {
        return "127.0.0.1";
    }

    /** Stops and removes the project's containers, its networks, and (optionally) its volumes. */
    void down(ComposeProject project, boolean volumes, Duration timeout);
}
