package dev.opsbot.core.builtin;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.store.AuditEntry;
import dev.opsbot.core.store.AuditLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code /ops audit [N]}: the last audit rows and whether the hash chain is intact (admin). */
public final class Audit implements BuiltinCommand {
    private static final String USAGE = "/ops audit [N]";
    private static final CommandSpec SPEC = new CommandSpec("audit", "the last N audit rows, default 20 (admin)", USAGE,
            List.of(Option.integer("rows", "How many rows (default 20)", false, Placement.ARGUMENT, 1, 200)));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public String role() {
        return AccessPolicy.ADMIN;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        if (inv.args().size() > 1 || !inv.flags().isEmpty()) throw new UsageException("At most one number.", USAGE);
        int n = inv.args().size() == 1 ? Words.number(inv.args().get(0), "N", 1, 200, USAGE) : 20;
        AuditLog audit = context.services().audit();
        List<String> lines = new ArrayList<>();
        for (AuditEntry row : audit.recent(n)) {
            lines.add(Words.WHEN.format(row.at()) + "  #" + row.id() + "  " + Words.user(row.actor()) + "  " + row.action() + "  "
                    + row.detail() + "  → " + row.outcome());
        }
        Collections.reverse(lines);
        String verdict = audit.verify().map(v -> "Chain broken: " + v).orElse("Chain intact.");
        return Message.builder(Tone.INFO, "Last " + lines.size() + " audit rows").code(String.join("\n", lines)).context(verdict).build();
    }
}
