package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code wait-healthy}: waits until each service's container reports Docker health "healthy"
 * (or is running, for services without a healthcheck), within the step's timeout.
 */
public record WaitHealthyStep(List<String> services) implements Step {
    private static final long UNHEALTHY_GRACE_NANOS = 10_000_000_000L;
    /** How often Docker is asked: a healthcheck that passes shows within this. */
    private static final long POLL_MILLIS = 200;

    /** {@code wait-healthy} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "wait-healthy";
        }

        @Override
        public StepFields fields() {
            return StepFields.optional("services");
        }

        @Override
        public Step build(StepBody body) {
            return new WaitHealthyStep(body.strings("services", List.of()));
        }
    }

    @Override
    public String title(Template t) {
        return "wait until " + (services.isEmpty() ? "all services" : String.join(", ", services.stream().map(t::apply).toList())) + " are healthy";
    }

    @Override
    public Set<String> touches(Template t, Set<String> stack) {
        return services.isEmpty() ? stack : Set.copyOf(services.stream().map(t::apply).toList());
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        List<String> wanted = services.isEmpty() ? List.copyOf(ctx.project().services().keySet())
                : services.stream().map(ctx.template()::apply).toList();
        long deadline = System.nanoTime() + ctx.timeout().toNanos();
        String last = "";
        long unhealthySince = 0;
        while (true) {
            Map<String, ServiceContainer> byService = ctx.docker().ps(ctx.project()).stream()
                    .filter(c -> !c.oneOff()).collect(Collectors.toMap(ServiceContainer::service, c -> c, (a, b) -> a));
            StringBuilder state = new StringBuilder();
            boolean ready = true;
            for (String s : wanted) {
                ServiceContainer c = byService.get(s);
                String h = c == null ? "missing" : !c.running() ? c.state() : c.health().isEmpty() ? "running" : c.health();
                if (!h.equals("healthy") && !h.equals("running")) ready = false;
                state.append(state.length() == 0 ? "" : ", ").append(s).append(' ').append(h);
            }
            if (!state.toString().equals(last)) {
                ctx.out().line(state.toString());
                last = state.toString();
            }
            if (ready) return;
            // Docker says "unhealthy" only after its retries; a dependency being recreated can cause
            // that briefly, so only a state that lasts is a failure before the timeout.
            boolean unhealthy = last.contains("unhealthy");
            if (!unhealthy) unhealthySince = 0;
            else if (unhealthySince == 0) unhealthySince = System.nanoTime();
            if (unhealthy && System.nanoTime() - unhealthySince > UNHEALTHY_GRACE_NANOS || System.nanoTime() > deadline) {
                throw new StepFailedException("not healthy: " + last);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
