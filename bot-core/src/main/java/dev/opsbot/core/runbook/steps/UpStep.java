package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.docker.UpResult;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.List;
import java.util.Set;

/** {@code up}: creates or recreates services whose configuration changed, in dependency order. */
public record UpStep(List<String> services, boolean removeOrphans) implements Step {

    /** {@code up} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "up";
        }

        @Override
        public StepFields fields() {
            return StepFields.optional("services", "remove-orphans");
        }

        @Override
        public Step build(StepBody body) {
            return new UpStep(body.strings("services", List.of()), body.bool("remove-orphans", true));
        }
    }

    @Override
    public String title(Template t) {
        return "up " + (services.isEmpty() ? "all services" : String.join(", ", services))
                + (removeOrphans ? " (remove orphans)" : "");
    }

    @Override
    public void run(StepContext ctx) {
        List<String> wanted = services.isEmpty() ? List.copyOf(ctx.project().services().keySet()) : services;
        UpResult r = ctx.docker().up(ctx.project(), wanted, removeOrphans, ctx.out(), ctx.timeout());
        ctx.out().line("recreated: " + none(r.recreated()) + "; created: " + none(r.created())
                + "; unchanged: " + none(r.unchanged()) + (r.removedOrphans().isEmpty() ? "" : "; orphans removed: " + r.removedOrphans()));
    }

    /** It applies the compose file and .env to the engine: not on a version of the stack's files someone else saved during the run. */
    @Override
    public boolean appliesStackFiles() {
        return true;
    }

    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return services.isEmpty() ? stack : Set.copyOf(services);
    }

    private static String none(List<String> l) {
        return l.isEmpty() ? "none" : String.join(", ", l);
    }
}
