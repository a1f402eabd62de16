package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.ArrayList;
import java.util.List;

/** {@code ps}: the stack's containers, their images, state and health. */
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
        new PsTable(ctx.docker().ps(ctx.project())).lines().forEach(ctx.out()::line);
    }

    /** Formats containers as aligned text lines, shared by the step and the built-in /ops ps. */
    public record PsTable(List<ServiceContainer> containers) {
        public List<String> lines() {
            if (containers.isEmpty()) return List.of("no containers");
            int w = Math.max(7, containers.stream().mapToInt(c -> c.service().length()).max().orElse(7));
            int wi = containers.stream().mapToInt(c -> c.image().length()).max().orElse(5);
            List<String> out = new ArrayList<>();
            out.add(String.format("%-" + w + "s  %-" + wi + "s  %s", "SERVICE", "IMAGE", "STATUS"));
            for (ServiceContainer c : containers) {
                out.add(String.format("%-" + w + "s  %-" + wi + "s  %s", c.service() + (c.oneOff() ? "*" : ""), c.image(), c.status()));
            }
            return out;
        }
    }
}
