package dev.opsbot.core.builtin;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.health.AlertCommands;
import java.util.List;

/** {@code /ops alerts}: open health alerts and muted services. */
public final class Alerts implements BuiltinCommand {
    private static final CommandSpec SPEC = new CommandSpec("alerts", "open health alerts and muted services", AlertCommands.ALERTS_USAGE, List.of());

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        Words.noArguments(inv);
        return context.alerts().get().map(AlertCommands::list).orElseGet(() -> off(context));
    }

    /** The answer of both alert commands when no monitor watches the stack. */
    static Message off(BuiltinContext context) {
        return Message.of(Tone.INFO, "Health alerts are off",
                "This bot does not watch " + context.services().stack().name() + "'s health (no monitor configured).");
    }
}
