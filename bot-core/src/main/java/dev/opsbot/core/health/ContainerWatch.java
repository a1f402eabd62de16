package dev.opsbot.core.health;

import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.ServiceContainer;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the health monitor reads from one engine about a compose project: the events of its
 * service containers as they happen, and the state and health of those containers now. Failures
 * are {@link DockerException}s; nothing of the engine's client library shows.
 */
public interface ContainerWatch {

    /**
     * Opens the engine's stream of the project's service-container events ({@code health_status},
     * {@code die}, {@code oom}, {@code kill}, {@code restart}, {@code start}, {@code pause},
     * {@code unpause}; one-off containers left out) and
     * returns once the engine has accepted it. With {@code sinceNanos} above 0 the engine first
     * replays what happened from then on, so a stream opened again after a break misses nothing.
     * Events reach {@code onEvent} on the stream's own thread, in the engine's order.
     *
     * @throws DockerException when the stream cannot be opened
     */
    EventStream events(String project, long sinceNanos, Consumer<DockerEvent> onEvent) throws InterruptedException;

    /** The project's containers, one-offs included, with their state and health as {@code docker ps} shows them. */
    List<ServiceContainer> containers(String project);

    /** The container's most recent healthcheck as Docker kept it ("exit 1: …"); empty when it has none yet. */
    String lastHealthcheck(String containerId);

    /** The container's state as {@code docker inspect} tells it (restarts, exit code, memory, health). */
    ContainerState state(String containerId);

    /** An open event stream. */
    interface EventStream extends AutoCloseable {

        /** Blocks until the stream ends: the engine closed it, the connection broke, or it was closed here. */
        void awaitEnd() throws InterruptedException;

        /** Ends the stream; {@link #awaitEnd} returns. Closing twice does nothing. */
        @Override
        void close();
    }
}
