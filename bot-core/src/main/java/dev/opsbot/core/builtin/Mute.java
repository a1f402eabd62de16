package dev.opsbot.core.builtin;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.health.AlertCommands;
import java.util.List;
import java.util.Optional;

/** {@code /ops mute <service> <duration|off>}: no new alerts about a service for a while (deployer). */
public final class Mute implements BuiltinCommand {
    private static final CommandSpec SPEC = new CommandSpec("mute", "no new alerts about a service for a while, e.g. 30m (deployer)",
            AlertCommands.MUTE_USAGE, List.of(
                    Option.text("service", "The service", true, Placement.ARGUMENT),
                    Option.text("duration", "For how long, e.g. 30m or 2h; off ends it", true, Placement.ARGUMENT)));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public String role() {
        return AccessPolicy.DEPLOYER;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        Optional<AlertCommands> alerts = context.alerts().get();
        if (alerts.isEmpty()) return Alerts.off(context);
        if (!inv.flags().isEmpty()) throw new UsageException("mute takes no options.", AlertCommands.MUTE_USAGE);
        return alerts.get().mute(inv.args(), origin, context.services().stack().load().services().keySet());
    }
}
