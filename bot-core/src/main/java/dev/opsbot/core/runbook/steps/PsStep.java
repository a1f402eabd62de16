package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.docker.RunningImage;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.ArrayList;
import java.util.List;

/** {@code ps}: the stack's containers, the images they run (tag and digest), state and health, and where they drift from the file. */
public record PsStep() implements Step {

    /** {@code ps} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "ps";
        }

        @Override
        public StepFields fields() {
            return StepFields.none();
        }

        @Override
        public Step build(StepBody body) {
            return new PsStep();
        }
    }

    @Override
    public String title(Template t) {
        return "list containers";
    }

    @Override
    public void run(StepContext ctx) {
        new PsTable(ctx.docker().ps(ctx.project()), ctx.project()).lines().forEach(ctx.out()::line);
    }

    /**
     * Containers as aligned text lines, then one line per service whose container runs another
     * image than the file names ("drift: backend: file says sha-1a2b3c4, running 0.1.0"); shared by
     * the step and the built-in /ops ps.
     */
    public record PsTable(List<ServiceContainer> containers, ComposeProject project) {
        public List<String> lines() {
            if (containers.isEmpty()) return List.of("no containers");
            int w = Math.max(7, containers.stream().mapToInt(c -> c.service().length()).max().orElse(7));
            int wi = containers.stream().mapToInt(c -> c.image().length()).max().orElse(5);
            int wd = Math.max(6, containers.stream().mapToInt(c -> RunningImage.shortDigest(c).length()).max().orElse(6));
            String row = "%-" + w + "s  %-" + wi + "s  %-" + wd + "s  %s";
            List<String> out = new ArrayList<>();
            out.add(String.format(row, "SERVICE", "IMAGE", "DIGEST", "STATUS"));
            for (ServiceContainer c : containers) {
                out.add(String.format(row, c.service() + (c.oneOff() ? "*" : ""), c.image(), RunningImage.shortDigest(c), c.status()));
            }
            for (RunningImage r : RunningImage.of(project, containers).values()) {
                if (r.container() != null && r.drifted()) out.add("drift: " + r.service() + ": " + r.drift());
            }
            return out;
        }
    }
}
