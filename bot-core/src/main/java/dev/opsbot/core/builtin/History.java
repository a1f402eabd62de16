package dev.opsbot.core.builtin;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.store.DeployRecord;
import dev.opsbot.core.store.RunRecord;
import java.util.ArrayList;
import java.util.List;

/** {@code /ops history [service]}: recent deploys (tag before and after, who, outcome) and runs. */
public final class History implements BuiltinCommand {
    private static final String USAGE = "/ops history [service]";
    private static final CommandSpec SPEC = new CommandSpec("history", "recent runs and deploys (tag before and after, who, outcome)", USAGE,
            List.of(Option.text("service", "Only this service", false, Placement.ARGUMENT)));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        if (inv.args().size() > 1) throw new UsageException("Name at most one service.", USAGE);
        String service = inv.args().isEmpty() ? null : inv.args().get(0);
        String stack = context.services().stack().name();
        List<String> lines = new ArrayList<>();
        for (DeployRecord d : context.services().deploys().recent(stack, service, 15)) {
            lines.add(Words.WHEN.format(d.at()) + "  run #" + d.runId() + "  " + d.service() + " " + d.tagBefore() + " -> " + d.tagAfter()
                    + "  " + d.outcome() + (d.healthVerified() ? ", health verified" : "") + "  by " + Words.user(d.requestedBy())
                    + (d.approvedBy() == null ? "" : ", confirmed by " + d.approvedBy()));
        }
        if (lines.isEmpty()) lines.add("No deploys yet" + (service == null ? "." : " of " + service + "."));
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
