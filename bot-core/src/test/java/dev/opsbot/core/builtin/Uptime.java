package dev.opsbot.core.builtin;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.Invocation;
import java.util.List;

/** A built-in added the way a new one is: this one file, listed in a services file. */
public final class Uptime implements BuiltinCommand {
    private static final CommandSpec SPEC = new CommandSpec("uptime", "how many runs this bot has recorded", "/ops uptime", List.of());

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        return Message.of(Tone.INFO, "Up", context.services().runs().recent(100).size() + " runs recorded.");
    }
}
