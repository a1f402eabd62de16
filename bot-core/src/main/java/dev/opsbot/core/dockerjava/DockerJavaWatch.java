package dev.opsbot.core.dockerjava;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.EventsCmd;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.health.ContainerState;
import dev.opsbot.core.health.ContainerWatch;
import dev.opsbot.core.health.DockerEvent;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ContainerWatch} on docker-java: the engine's event stream filtered by the compose project's label, and container inspection. */
final class DockerJavaWatch implements ContainerWatch {
    private static final Logger LOG = LoggerFactory.getLogger(DockerJavaWatch.class);
    private static final String[] ACTIONS = {"health_status", "die", "oom", "kill", "restart", "start", "pause", "unpause"};

    private final DockerClient docker;
    private final EngineCalls calls;
    private final ProjectContainers containers;

    DockerJavaWatch(DockerClient docker, EngineCalls calls, ProjectContainers containers) {
        this.docker = docker;
        this.calls = calls;
        this.containers = containers;
    }

    @Override
    public EventStream events(String project, long sinceNanos, Consumer<DockerEvent> onEvent) throws InterruptedException {
        EventsCmd cmd = eventsOf(project, sinceNanos);
        return calls.open("follow the events of project " + project, new Stream(onEvent), cmd::exec, Stream::failure);
    }

    private EventsCmd eventsOf(String project, long sinceNanos) {
        EventsCmd cmd = docker.eventsCmd().withLabelFilter(Map.of(ComposeLabels.PROJECT, project)).withEventFilter(ACTIONS);
        // The engine takes "seconds.nanoseconds" since the epoch.
        return sinceNanos <= 0 ? cmd : cmd.withSince(sinceNanos / 1_000_000_000L + "." + String.format("%09d", sinceNanos % 1_000_000_000L));
    }

    @Override
    public List<ServiceContainer> containers(String project) {
        return containers.ps(project);
    }

    @Override
    public String lastHealthcheck(String containerId) {
        InspectContainerResponse inspect = calls.call("read the healthcheck of container " + containerId,
                () -> docker.inspectContainerCmd(containerId).exec());
        return lastHealthcheck(inspect.getState() == null ? null : inspect.getState().getHealth());
    }

    @Override
    public ContainerState state(String containerId) {
        InspectContainerResponse inspect = calls.call("read the state of container " + containerId,
                () -> docker.inspectContainerCmd(containerId).exec());
        InspectContainerResponse.ContainerState s = inspect.getState();
        if (s == null) return new ContainerState("", 0, false, 0, "", 0, "");
        HealthState health = s.getHealth();
        return new ContainerState(s.getStatus(), Optional.ofNullable(s.getExitCodeLong()).orElse(0L), Boolean.TRUE.equals(s.getOOMKilled()),
                Optional.ofNullable(inspect.getRestartCount()).orElse(0), health == null ? "" : health.getStatus(),
                health == null || health.getFailingStreak() == null ? 0 : health.getFailingStreak(), lastHealthcheck(health));
    }

    private static String lastHealthcheck(HealthState health) {
        if (health == null || health.getLog() == null || health.getLog().isEmpty()) return "";
        HealthStateLog last = health.getLog().get(health.getLog().size() - 1);
        String output = Optional.ofNullable(last.getOutput()).orElse("").strip();
        return "exit " + last.getExitCodeLong() + (output.isEmpty() ? "" : ": " + output);
    }

    /** One open event stream: the engine's events of the project's service containers, as core events. */
    private static final class Stream extends ResultCallback.Adapter<Event> implements EventStream {
        private final Consumer<DockerEvent> onEvent;
        private volatile boolean closed;
        private volatile Throwable failure;

        Stream(Consumer<DockerEvent> onEvent) {
            this.onEvent = onEvent;
        }

        @Override
        public void onNext(Event e) {
            if (e.getActor() == null || e.getAction() == null) return;
            Map<String, String> attributes = e.getActor().getAttributes() == null ? Map.of() : e.getActor().getAttributes();
            if ("True".equals(attributes.get(ComposeLabels.ONEOFF))) return;
            String service = attributes.get(ComposeLabels.SERVICE);
            if (service == null) return;
            long nanos = e.getTimeNano() != null ? e.getTimeNano() : e.getTime() == null ? 0 : e.getTime() * 1_000_000_000L;
            onEvent.accept(new DockerEvent(service, e.getActor().getId(), e.getAction(), nanos, attributes));
        }

        @Override
        public void onError(Throwable t) {
            // The base class logs every error at ERROR level; a dropped stream is expected, and the watcher reconnects.
            if (!closed) LOG.debug("docker event stream error: {}", t.toString());
            if (failure == null) failure = t;
            close();
        }

        @Override
        public void awaitEnd() throws InterruptedException {
            awaitCompletion();
        }

        Throwable failure() {
            return failure;
        }

        @Override
        public void close() {
            closed = true;
            try {
                super.close();
            } catch (IOException | RuntimeException ignored) {
                // closing a stream that is already gone
            }
        }
    }
}
