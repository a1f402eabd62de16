package dev.opsbot.core.dockerjava;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.swarm.SwarmListener;
import dev.opsbot.core.swarm.SwarmTask;
import dev.opsbot.core.swarm.UpdateOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows rolling updates the engine is carrying out until each service's update status says
 * it is over, telling the listener about every task that changes and every new update status.
 * The engine does the work (batches, health monitoring, automatic rollback); this only watches,
 * by polling: task changes are not all in the event stream on every engine version, polling is.
 */
final class UpdateWatch {
    private static final Set<String> TASK_FAILURES = Set.of("failed", "rejected");

    private final EngineApi api;
    private final TaskReader tasks;
    private final Duration poll;

    UpdateWatch(EngineApi api, TaskReader tasks, Duration poll) {
        this.api = api;
        this.tasks = tasks;
        this.poll = poll;
    }

    /** One service being updated: what the watch knew before the update was asked for. */
    static final class Watched {
        final String service;
        final String id;
        /** The manual rollback ends in rollback_completed when it succeeds; a deploy ends there when it failed. */
        final boolean manualRollback;
        private final String statusBefore;
        private final Map<String, SwarmTask> seen = new HashMap<>();
        private String lastStatus = "";
        private String failure = "";
        private String taskError = "";
        private String state = "";
        private UpdateOutcome outcome;

        Watched(String service, String id, boolean manualRollback, JsonNode serviceBefore, List<SwarmTask> tasksBefore) {
            this.service = service;
            this.id = id;
            this.manualRollback = manualRollback;
            this.statusBefore = serviceBefore.path("UpdateStatus").path("StartedAt").asText("");
            tasksBefore.forEach(t -> seen.put(t.id(), t));
        }
    }

    List<UpdateOutcome> follow(List<Watched> services, SwarmListener listener, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Watched> open = new ArrayList<>(services);
        while (!open.isEmpty()) {
            boolean late = System.nanoTime() - deadline > 0;
            for (Watched w : List.copyOf(open)) {
                JsonNode service = api.get("inspect service " + w.service, "/services/" + w.id);
                reportTasks(w, listener);
                UpdateOutcome outcome = late ? timedOut(w, service, timeout) : check(w, service, listener);
                if (outcome != null) {
                    w.outcome = outcome;
                    listener.outcome(outcome);
                    open.remove(w);
                }
            }
            if (!open.isEmpty()) sleep();
        }
        return services.stream().map(w -> w.outcome).toList();
    }

    private void reportTasks(Watched w, SwarmListener listener) {
        for (SwarmTask t : tasks.tasks(w.id, w.service)) {
            SwarmTask before = w.seen.put(t.id(), t);
            if (before != null && before.state().equals(t.state()) && before.desiredState().equals(t.desiredState())
                    && before.error().equals(t.error())) {
                continue;
            }
            if (TASK_FAILURES.contains(t.state()) && !t.error().isEmpty()) {
                w.taskError = t.label() + " (" + t.id() + ", " + t.tag() + ") " + t.state() + ": " + t.error();
            }
            listener.task(t);
        }
    }

    /** The outcome once the update is over, or null while it runs. */
    private UpdateOutcome check(Watched w, JsonNode service, SwarmListener listener) {
        JsonNode status = service.path("UpdateStatus");
        // Until the engine starts our update, the status (if any) is the previous update's.
        if (status.isMissingNode() || status.path("StartedAt").asText("").equals(w.statusBefore)) return null;
        String state = status.path("State").asText("");
        String message = status.path("Message").asText("");
        w.state = state;
        if (!(state + "\n" + message).equals(w.lastStatus)) {
            w.lastStatus = state + "\n" + message;
            listener.status(w.service, state, message);
        }
        // Docker says why at the turn ("update rolled back due to failure or early termination of
        // task ..."); once the rollback is over the message only says "rollback completed".
        if (state.equals("rollback_started") && !w.manualRollback || state.endsWith("paused")) w.failure = message;
        String image = image(service);
        return switch (state) {
            case "completed" -> new UpdateOutcome(w.service, UpdateOutcome.Result.CONVERGED, image, "");
            case "rollback_completed" -> w.manualRollback
                    ? new UpdateOutcome(w.service, UpdateOutcome.Result.CONVERGED, image, "")
                    : new UpdateOutcome(w.service, UpdateOutcome.Result.ROLLED_BACK, image, reason(w, state));
            case "paused", "rollback_paused" -> new UpdateOutcome(w.service, UpdateOutcome.Result.FAILED, image, reason(w, state));
            default -> null;
        };
    }

    private UpdateOutcome timedOut(Watched w, JsonNode service, Duration timeout) {
        String state = w.state.isEmpty() ? "not started" : w.state;
        return new UpdateOutcome(w.service, UpdateOutcome.Result.TIMED_OUT, image(service),
                "update still " + state.replace('_', ' ') + " after " + Durations.human(timeout)
                        + "; Docker carries on with it" + (w.taskError.isEmpty() ? "" : " (last failure: " + w.taskError + ")"));
    }

    /**
     * Docker's words from the turn of the update when we saw them; a quick rollback can go from
     * {@code updating} to {@code rollback_completed} between two polls, and then the task that
     * failed tells why.
     */
    private static String reason(Watched w, String state) {
        String docker = !w.failure.isEmpty() ? w.failure
                : state.equals("rollback_completed") ? "update rolled back"
                : state.equals("rollback_paused") ? "rollback paused" : "update paused";
        return w.taskError.isEmpty() ? docker : docker + ": " + w.taskError;
    }

    static String image(JsonNode service) {
        String image = service.path("Spec").path("TaskTemplate").path("ContainerSpec").path("Image").asText("");
        return image.isEmpty() ? "" : ImageRef.parse(image).toString();
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DockerException("stopped following the update: interrupted", e);
        }
    }
}
