package dev.opsbot.core.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** A check the monitor runs on its own schedule, against one service. */
public sealed interface ProbeSpec permits ProbeSpec.Http, ProbeSpec.Exec, ProbeSpec.SwarmTasks {

    /** The check's name, unique per service (shown in the alert, e.g. "api-health"). */
    String name();

    String service();

    Duration interval();

    Duration timeout();

    Severity severity();

    /** Null: the monitor's default thresholds. */
    Thresholds thresholds();

    /**
     * GET a URL and expect a status and (optionally) a text in the body. The URL is given whole
     * or as a service's container port and a path, whose published host port is looked up.
     */
    record Http(String name, String service, String url, int port, String path, int expectStatus, String expectBody,
                Duration timeout, Duration interval, Severity severity, Thresholds thresholds) implements ProbeSpec {
        public Http {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(service, "service");
            if (url == null && (port <= 0 || path == null)) {
                throw new IllegalArgumentException("probe " + name + ": give a url, or a port and a path of " + service);
            }
            expectStatus = expectStatus == 0 ? 200 : expectStatus;
            timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
            interval = interval == null ? Duration.ofSeconds(10) : interval;
            severity = severity == null ? Severity.CRITICAL : severity;
        }
    }

    /** Run a command in the service's running container and expect exit code 0. */
    record Exec(String name, String service, List<String> command, Duration timeout, Duration interval, Severity severity,
                Thresholds thresholds) implements ProbeSpec {
        public Exec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(service, "service");
            if (command == null || command.isEmpty()) throw new IllegalArgumentException("probe " + name + ": give a command");
            command = List.copyOf(command);
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            interval = interval == null ? Duration.ofSeconds(15) : interval;
            severity = severity == null ? Severity.CRITICAL : severity;
        }
    }

    /**
     * A swarm service's tasks across the nodes: every task Docker wants running is running and
     * none reports an unhealthy container (a swarm stack has no compose events to follow).
     */
    record SwarmTasks(String service, String stack, Duration interval, Severity severity, Thresholds thresholds) implements ProbeSpec {
        public SwarmTasks {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(stack, "stack");
            interval = interval == null ? Duration.ofSeconds(5) : interval;
            severity = severity == null ? Severity.CRITICAL : severity;
        }

        @Override
        public String name() {
            return "tasks";
        }

        @Override
        public Duration timeout() {
            return interval;
        }
    }
}
