package dev.opsbot.core.builtin;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.Invocation;
import java.util.List;

/** {@code /ops envs}: the environments, their Docker engines and health at a glance. */
public final class Envs implements BuiltinCommand {
    private static final CommandSpec SPEC = new CommandSpec("envs",
            "the environments, their Docker engines and health at a glance; add --env NAME to any command", "/ops envs", List.of());

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        Words.noArguments(inv);
        EnvironmentDirectory directory = context.environments().get();
        if (directory != null) return directory.glance();
        return Message.of(Tone.INFO, "Environments", "This bot serves one: the stack " + context.services().stack().name()
                + ". Environments are set in opsbot.yml (docs/environments.md).");
    }
}
