package dev.opsbot.core.engine;

import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.DockerUnavailableException;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What a run has done so far: the steps that succeeded, the checks that failed softly, the
 * image changes it made, whether health was verified; and how that reads when it ends.
 */
final class RunLedger {
    private final List<ImagePinner.Change> changes = new ArrayList<>();
    private final List<String> doneSteps = new ArrayList<>();
    private final List<String> softFailures = new ArrayList<>();
    private volatile boolean healthVerified;
    private volatile boolean engineAway;

    synchronized void changed(ImagePinner.Change change) {
        changes.add(change);
    }

    synchronized List<ImagePinner.Change> changes() {
        return List.copyOf(changes);
    }

    void stepDone(String title) {
        doneSteps.add(title);
    }

    void softFailure(String failure) {
        softFailures.add(failure);
    }

    List<String> softFailures() {
        return List.copyOf(softFailures);
    }

    void healthVerified() {
        healthVerified = true;
    }

    boolean isHealthVerified() {
        return healthVerified;
    }

    /** "Done in 4 s. backend sha-1a2b3c4 -> sha-5d6e7f8. Health verified." */
    String success(Duration took) {
        StringBuilder s = new StringBuilder("Done in " + Durations.human(took) + ".");
        List<ImagePinner.Change> real = changes().stream().filter(c -> !c.before().equals(c.after())).toList();
        if (!real.isEmpty()) {
            s.append(' ').append(String.join(", ", real.stream().map(c -> c.service() + " "
                    + ImageRef.parse(c.before()).tag() + " -> " + ImageRef.parse(c.after()).tag()).toList())).append('.');
        }
        if (healthVerified) s.append(" Health verified.");
        return s.toString();
    }

    /** What is true of the host after step {@code failedIndex} failed: what was done, what was not, what the file pins, what runs. */
    String stateAfter(int failedIndex, List<Step> steps, Template template, Supplier<Set<String>> declared,
                      Supplier<List<ServiceContainer>> running) {
        StringBuilder out = new StringBuilder();
        out.append("Done before: ").append(doneSteps.isEmpty() ? "nothing" : String.join("; ", doneSteps)).append('.');
        List<String> notDone = new ArrayList<>();
        for (int j = failedIndex + 1; j < steps.size(); j++) notDone.add(steps.get(j).title(template));
        if (!notDone.isEmpty()) out.append("\nNot done: ").append(String.join("; ", notDone)).append('.');
        List<ImagePinner.Change> made = changes();
        if (!made.isEmpty()) {
            out.append("\nThe compose file now pins ");
            out.append(String.join(", ", made.stream().map(c -> c.service() + " " + ImageRef.parse(c.after()).tag()).toList()));
            out.append('.');
        }
        try {
            out.append(whatRuns(declared.get(), running.get()));
        } catch (DockerUnavailableException e) {
            engineAway = true;
            out.append("\nThe containers cannot be listed: ").append(e.getMessage());
        } catch (RuntimeException e) {
            out.append("\nThe containers cannot be listed: ").append(e.getMessage());
        }
        return out.toString();
    }

    /** Whether the engine did not answer when the state after a failure was read: it is then said once it is back ({@link EngineReturn}). */
    boolean engineAway() {
        return engineAway;
    }

    /** "\nRunning now: proxy v1 (healthy), web v1 (running).\nNo container now: backend." */
    static String whatRuns(Set<String> declared, List<ServiceContainer> ps) {
        StringBuilder out = new StringBuilder();
        List<ServiceContainer> services = ps.stream().filter(c -> !c.oneOff()).toList();
        if (!services.isEmpty()) {
            out.append("\nRunning now: ");
            out.append(String.join(", ", services.stream()
                    .map(c -> c.service() + " " + ImageRef.parse(c.image()).tag() + " (" + (c.health().isEmpty() ? c.state() : c.health()) + ")")
                    .toList()));
            out.append('.');
        }
        // A service left without any container (removed before its new one could start) is said, not just left out.
        Set<String> missing = new TreeSet<>(declared);
        services.forEach(c -> missing.remove(c.service()));
        if (!missing.isEmpty()) out.append("\nNo container now: ").append(String.join(", ", missing)).append('.');
        return out.toString();
    }
}
