package dev.opsbot.core.engine;

import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    String stateAfter(int failedIndex, List<Step> steps, Template template, Supplier<List<ServiceContainer>> running) {
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
            List<ServiceContainer> ps = running.get();
            if (!ps.isEmpty()) {
                out.append("\nRunning now: ");
                out.append(String.join(", ", ps.stream().filter(c -> !c.oneOff())
                        .map(c -> c.service() + " " + ImageRef.parse(c.image()).tag() + " (" + (c.health().isEmpty() ? c.state() : c.health()) + ")")
                        .toList()));
                out.append('.');
            }
        } catch (RuntimeException e) {
            out.append("\nThe containers cannot be listed: ").append(e.getMessage());
        }
        return out.toString();
    }
}
