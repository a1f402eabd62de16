package dev.opsbot.core.builtin;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.runbook.steps.PsStep;
import java.util.List;

/** {@code /ops ps}: the stack's containers with the image they run (tag and digest), state and health, and any drift from the file. */
public final class Ps implements BuiltinCommand {
    private static final CommandSpec SPEC = new CommandSpec("ps", "the stack's containers: image (tag, digest), state, health, drift from the file", "/ops ps", List.of());

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        Words.noArguments(inv);
        ComposeProject project = context.services().stack().load();
        List<String> lines = new PsStep.PsTable(context.services().docker().recentPs(project), project).lines();
        return Message.builder(Tone.INFO, "Containers of " + context.services().stack().name()).code(String.join("\n", lines))
                .context("compose project " + project.name()).build();
    }
}
