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
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Turns what Docker says about the project's containers into observations of two checks per
 * service: {@code healthcheck} (the service's own Docker healthcheck) and {@code container}
 * (running: not paused, exited, killed for memory, or restarting in a loop). Each event is judged
 * at once where it tells enough (unhealthy, out of memory, paused, the death that makes a crash
 * loop) and otherwise says when to read the containers again (a death, after the restart policy
 * had its chance), so no state waits for the periodic re-read.
 */
final class ContainerChecks {
    /** Died this often within {@link #CRASH_WINDOW} and the container is restarting in a loop. */
    static final int CRASH_LOOP = 3;
    static final Duration CRASH_WINDOW = Duration.ofMinutes(2);
    /** After a container died by itself, how long its restart policy gets to bring it back before it counts as exited. */
    static final Duration CRASH_GRACE = Duration.ofSeconds(1);
    /** After a container was stopped or restarted on purpose, how long a deploy gets to replace or start it again. */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);
    /** A death this soon after a kill was the stop the kill began, not a crash. */
    private static final Duration KILL_TO_DEATH = Duration.ofSeconds(30);

    /** What an event tells at once, and when to read the service's containers again (null: no need). */
    record Reaction(List<Observation> observations, Duration readAgainIn) {
        static final Reaction NOTHING = new Reaction(List.of(), null);
    }

    private record Death(Instant at, String exitCode) { }

    private final Stack stack;
    private final ContainerWatch watch;
    private final UnaryOperator<String> redactor;
    private final Clock clock;
    /** Deaths that were not stops, by container: a container's own crashes, however the service is recreated. */
    private final Map<String, Deque<Death>> deaths = new HashMap<>();
    private final Map<String, Instant> killed = new HashMap<>();

    ContainerChecks(Stack stack, ContainerWatch watch, UnaryOperator<String> redactor, Clock clock) {
        this.stack = stack;
        this.watch = watch;
        this.redactor = redactor;
        this.clock = clock;
    }

    Reaction onEvent(DockerEvent e) {
        Instant at = Instant.ofEpochSecond(0, e.timeNanos());
        String name = e.attributes().getOrDefault("name", e.service());
        String health = e.healthStatus();
        if (!health.isEmpty()) {
            if (!health.equals("healthy") && !health.equals("unhealthy")) return Reaction.NOTHING;
            return now(observation(e.service(), Observation.HEALTHCHECK, health.equals("healthy"), lastHealthOutput(e.containerId()), at,
                    e.timeNanos()));
        }
        return switch (e.action()) {
            case "oom" -> now(observation(e.service(), Observation.CONTAINER, false, name + " was killed: out of memory", at, e.timeNanos()));
            case "pause" -> now(observation(e.service(), Observation.CONTAINER, false, paused(name), at, e.timeNanos()));
            case "unpause" -> new Reaction(List.of(), Duration.ZERO);
            case "kill" -> {
                killed.put(e.containerId(), at);
                yield Reaction.NOTHING;
            }
            case "die" -> died(e, name, at);
            case "start", "restart" -> new Reaction(List.of(), STOP_GRACE);
            default -> Reaction.NOTHING;
        };
    }

    private Reaction died(DockerEvent e, String name, Instant at) {
        Instant kill = killed.remove(e.containerId());
        if (kill != null && !kill.isBefore(at.minus(KILL_TO_DEATH))) return new Reaction(List.of(), STOP_GRACE);
        Deque<Death> d = deaths.computeIfAbsent(e.containerId(), id -> new ArrayDeque<>());
        d.addLast(new Death(at, e.attributes().getOrDefault("exitCode", "?")));
        while (d.size() > CRASH_LOOP * 4) d.removeFirst();
        if (recent(d, at) < CRASH_LOOP) return new Reaction(List.of(), CRASH_GRACE);
        // The death that makes the loop is said at once; the ones after it only update that alert's count.
        return new Reaction(List.of(observation(e.service(), Observation.CONTAINER, false, looping(name, e.containerId(), d, at), at,
                e.timeNanos())), null);
    }

    /** {@link #reconcile(boolean, String)} of every service. */
    List<Observation> reconcile(boolean containerChecks) {
        return reconcile(containerChecks, null);
    }

    /**
     * The current state of the containers of {@code service} (null: of every service; one-offs
     * aside): health where a healthcheck has really failed or passed, and whether it runs.
     * {@code containerChecks} false skips the latter (while a run of the bot recreates containers
     * on purpose). An event's re-read looks at its own service only: another one's container may be
     * between its creation and its start just then.
     */
    List<Observation> reconcile(boolean containerChecks, String service) {
        Instant now = clock.instant();
        deaths.values().forEach(d -> d.removeIf(x -> x.at().isBefore(now.minus(CRASH_WINDOW))));
        deaths.values().removeIf(Deque::isEmpty);
        killed.values().removeIf(t -> t.isBefore(now.minus(KILL_TO_DEATH)));
        List<Observation> out = new ArrayList<>();
        for (ServiceContainer c : watch.containers(stack.load().name())) {
            if (c.oneOff() || c.service().isEmpty() || service != null && !service.equals(c.service())) continue;
            if (containerChecks) containerState(c, now).ifPresent(out::add);
            if (c.running() && c.health().equals("unhealthy")) {
                ContainerState s = state(c.id());
                // Docker calls a container unhealthy while its healthcheck is stopped (paused, just unpaused): nothing failed.
                if (s != null && s.failedItsHealthcheck()) {
                    out.add(observation(c.service(), Observation.HEALTHCHECK, false, s.lastHealthcheck(), now, null));
                }
            } else if (c.running() && c.health().equals("healthy")) {
                out.add(observation(c.service(), Observation.HEALTHCHECK, true, "", now, null));
            }
        }
        return out;
    }

    /** Empty while its restart policy is bringing it back, until the deaths make a loop. */
    private Optional<Observation> containerState(ServiceContainer c, Instant now) {
        Deque<Death> d = deaths.getOrDefault(c.id(), new ArrayDeque<>());
        boolean restarting = "restarting".equals(c.state());
        String output;
        if ((c.running() || restarting) && recent(d, now) >= CRASH_LOOP) output = looping(c.name(), c.id(), d, now);
        else if (restarting) return Optional.empty();
        else if ("paused".equals(c.state())) output = paused(c.name());
        else if (c.running()) return Optional.of(observation(c.service(), Observation.CONTAINER, true, c.name() + " is running", now, null));
        else output = notRunning(c);
        return Optional.of(observation(c.service(), Observation.CONTAINER, false, output, now, null));
    }

    /** Exited, killed for memory, restarting: what {@code docker inspect} says, without times that change at every read. */
    private String notRunning(ServiceContainer c) {
        ContainerState s = state(c.id());
        if (s == null) return c.name() + " is not running (" + c.state() + ")";
        if (s.oomKilled()) return c.name() + " was killed: out of memory";
        return c.name() + " is not running: it " + (s.status().equals("exited") ? "exited with code " + s.exitCode() : "is " + s.status())
                + restarts(s.restartCount());
    }

    private String looping(String name, String containerId, Deque<Death> d, Instant now) {
        List<Death> recent = d.stream().filter(x -> !x.at().isBefore(now.minus(CRASH_WINDOW))).toList();
        ContainerState s = state(containerId);
        Duration span = Duration.between(recent.get(0).at(), recent.get(recent.size() - 1).at());
        return name + " is restarting in a loop: it died " + recent.size() + " times in " + Durations.human(span)
                + ", last with exit code " + recent.get(recent.size() - 1).exitCode() + (s == null ? "" : restarts(s.restartCount()));
    }

    private static String paused(String name) {
        return name + " is paused: its processes are frozen and Docker does not run its healthcheck";
    }

    private static String restarts(int count) {
        return count == 0 ? "" : "; Docker has restarted it " + count + (count == 1 ? " time" : " times");
    }

    private static int recent(Deque<Death> d, Instant now) {
        return (int) d.stream().filter(x -> !x.at().isBefore(now.minus(CRASH_WINDOW))).count();
    }

    private Observation observation(String service, String check, boolean ok, String output, Instant at, Long nanos) {
        return new Observation(service, check, ok, redactor.apply(output), at, nanos, Severity.CRITICAL, Thresholds.IMMEDIATE);
    }

    /** The container's state now; null when it cannot be read (removed meanwhile, the engine gone). */
    private ContainerState state(String containerId) {
        try {
            return watch.state(containerId);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The output of the container's most recent healthcheck, as Docker kept it. */
    private String lastHealthOutput(String containerId) {
        try {
            return watch.lastHealthcheck(containerId);
        } catch (RuntimeException e) {
            return "(the last healthcheck output cannot be read: " + e.getMessage() + ")";
        }
    }

    private static Reaction now(Observation o) {
        return new Reaction(List.of(o), null);
    }
}
