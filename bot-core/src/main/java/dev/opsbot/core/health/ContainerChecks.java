package dev.opsbot.core.health;

import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.engine.Stack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Turns what Docker says about the project's containers into observations of two checks per
 * service: {@code healthcheck} (the service's own Docker healthcheck) and {@code container}
 * (running; not dead, not killed for memory, not restarting over and over).
 */
final class ContainerChecks {
    /** Died this often within {@link #CRASH_WINDOW} and the container check fails even though it is running again. */
    static final int CRASH_LOOP = 3;
    static final Duration CRASH_WINDOW = Duration.ofMinutes(2);

    private final Stack stack;
    private final ContainerWatch watch;
    private final UnaryOperator<String> redactor;
    private final Clock clock;
    private final Map<String, Deque<Instant>> deaths = new HashMap<>();

    ContainerChecks(Stack stack, ContainerWatch watch, UnaryOperator<String> redactor, Clock clock) {
        this.stack = stack;
        this.watch = watch;
        this.redactor = redactor;
        this.clock = clock;
    }

    /** What an event tells at once; a death is only counted here and judged by {@link #reconcile} after a grace period. */
    List<Observation> onEvent(DockerEvent e) {
        Instant at = Instant.ofEpochSecond(0, e.timeNanos());
        String health = e.healthStatus();
        if (health.equals("unhealthy")) {
            return List.of(observation(e.service(), Observation.HEALTHCHECK, false, lastHealthOutput(e.containerId()), at, e.timeNanos()));
        }
        if (health.equals("healthy")) {
            return List.of(observation(e.service(), Observation.HEALTHCHECK, true, lastHealthOutput(e.containerId()), at, e.timeNanos()));
        }
        if (e.action().equals("oom")) {
            return List.of(observation(e.service(), Observation.CONTAINER, false, "killed: out of memory", at, e.timeNanos()));
        }
        if (e.action().equals("die")) {
            Deque<Instant> d = deaths.computeIfAbsent(e.service(), s -> new ArrayDeque<>());
            d.addLast(at);
            while (d.size() > CRASH_LOOP) d.removeFirst();
        }
        return List.of();
    }

    /**
     * The current state of every container of the project (one-offs aside): health where a
     * healthcheck has settled, and whether it runs. {@code containerChecks} false skips the
     * latter (while a run of the bot recreates containers on purpose).
     */
    List<Observation> reconcile(boolean containerChecks) {
        Instant now = clock.instant();
        List<Observation> out = new ArrayList<>();
        for (ServiceContainer c : watch.containers(stack.load().name())) {
            if (c.oneOff() || c.service().isEmpty()) continue;
            if (containerChecks) out.add(containerState(c, now));
            if (c.running() && c.health().equals("unhealthy")) {
                out.add(observation(c.service(), Observation.HEALTHCHECK, false, lastHealthOutput(c.id()), now, null));
            } else if (c.running() && c.health().equals("healthy")) {
                out.add(observation(c.service(), Observation.HEALTHCHECK, true, "", now, null));
            }
        }
        return out;
    }

    private Observation containerState(ServiceContainer c, Instant now) {
        if (!c.running()) {
            return observation(c.service(), Observation.CONTAINER, false, c.name() + " is not running: " + c.status(), now, null);
        }
        Deque<Instant> d = deaths.getOrDefault(c.service(), new ArrayDeque<>());
        d.removeIf(t -> t.isBefore(now.minus(CRASH_WINDOW)));
        if (d.size() >= CRASH_LOOP) {
            return observation(c.service(), Observation.CONTAINER, false, c.name() + " keeps restarting: died " + d.size()
                    + " times in " + Durations.human(CRASH_WINDOW) + " (" + c.status() + ")", now, null);
        }
        return observation(c.service(), Observation.CONTAINER, true, c.name() + " " + c.status(), now, null);
    }

    private Observation observation(String service, String check, boolean ok, String output, Instant at, Long nanos) {
        return new Observation(service, check, ok, redactor.apply(output), at, nanos, Severity.CRITICAL, Thresholds.IMMEDIATE);
    }

    /** The output of the container's most recent healthcheck, as Docker kept it. */
    private String lastHealthOutput(String containerId) {
        try {
            return watch.lastHealthcheck(containerId);
        } catch (RuntimeException e) {
            return "(the last healthcheck output cannot be read: " + e.getMessage() + ")";
        }
    }
}
