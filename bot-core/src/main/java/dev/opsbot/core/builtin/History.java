package dev.opsbot.core.builtin;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.docker.RunningImage;
import dev.opsbot.core.store.DeployRecord;
import dev.opsbot.core.store.RunRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /ops history [service]}: what runs now (tag and digest, and any drift from the file), then
 * recent deploys (tag before and after, who, outcome, a run still in progress as running) and runs.
 */
public final class History implements BuiltinCommand {
    private static final String USAGE = "/ops history [service]";
    private static final CommandSpec SPEC = new CommandSpec("history", "recent runs and deploys (tag before and after, who, outcome)", USAGE,
            List.of(Option.text("service", "Only this service", false, Placement.ARGUMENT)));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    /**
     * "Running now:" and a line per service ("backend file says sha-1a2b3c4, running 0.1.0 (sha256:…)"),
     * then a blank line; nothing for a swarm stack, whose tasks are not compose containers.
     */
    private static List<String> runningNow(BuiltinContext context, String service) {
        if (context.services().swarm() != null) return List.of();
        List<String> lines = new ArrayList<>();
        lines.add("Running now:");
        try {
            ComposeProject project = context.services().stack().load();
            for (RunningImage r : RunningImage.of(project, context.services().docker().recentPs(project)).values()) {
                if (service == null || r.service().equals(service)) lines.add("  " + r.service() + " " + r.describe());
            }
        } catch (RuntimeException e) {
            lines.add("  cannot be read: " + e.getMessage());
        }
        lines.add("");
        return lines;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        if (inv.args().size() > 1) throw new UsageException("Name at most one service.", USAGE);
        String service = inv.args().isEmpty() ? null : inv.args().get(0);
        String stack = context.services().stack().name();
        List<String> lines = new ArrayList<>(runningNow(context, service));
        List<DeployRecord> deploys = context.services().deploys().recent(stack, service, 15);
        for (DeployRecord d : deploys) {
            lines.add(Words.WHEN.format(d.at()) + "  run #" + d.runId() + "  " + d.service() + " " + d.tagBefore() + " -> " + d.tagAfter()
                    + "  " + d.outcome() + (d.healthVerified() ? ", health verified" : "") + "  by " + Words.user(d.requestedBy())
                    + (d.approvedBy() == null ? "" : ", confirmed by " + d.approvedBy()));
        }
        if (deploys.isEmpty()) lines.add("No deploys yet" + (service == null ? "." : " of " + service + "."));
        if (service == null) {
            lines.add("");
            lines.add("Recent runs:");
            for (RunRecord r : context.services().runs().recent(10)) {
                lines.add(Words.WHEN.format(r.startedAt()) + "  #" + r.id() + "  " + r.invocation() + "  " + r.status().name().toLowerCase()
                        + "  by " + Words.user(r.requestedBy()));
            }
        }
        String text = String.join("\n", lines);
        return Message.builder(Tone.INFO, "History of " + stack + (service == null ? "" : " · " + service))
                .code(text.strip().isEmpty() ? "nothing yet" : text).build();
    }
}
