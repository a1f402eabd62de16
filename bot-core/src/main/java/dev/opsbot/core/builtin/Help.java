package dev.opsbot.core.builtin;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.Suggestions;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.runbook.ArgumentBinder;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code /ops help [command]}: every command with its summary, or the details of one. */
public final class Help implements BuiltinCommand {
    private static final CommandSpec SPEC = new CommandSpec("help", "this list, or the details of one command", "/ops help [command]",
            List.of(Option.text("command", "The command to explain", false, Placement.ARGUMENT)));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public String role() {
        return null;
    }

    @Override
    public boolean answersPrivately() {
        return true;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        return inv.args().isEmpty() ? all(context) : one(inv.args().get(0), context);
    }

    private static Message one(String verb, BuiltinContext context) {
        Optional<Runbook> rb = context.catalog().find(verb);
        if (rb.isPresent()) {
            Message.Builder b = Message.builder(Tone.INFO, rb.get().usageLine()).line(rb.get().summary());
            ArgumentBinder.describe(rb.get()).forEach(b::line);
            if (rb.get().mutates()) b.line("Asks for confirmation before it changes anything.");
            return b.build();
        }
        Optional<BuiltinCommand> builtin = context.commands().find(verb);
        if (builtin.isEmpty()) {
            List<String> known = new ArrayList<>(context.commands().verbs());
            known.addAll(context.catalog().all().keySet());
            String hint = Suggestions.closest(verb, known).map(s -> " Did you mean " + s + "?").orElse("");
            throw new UsageException("There is no command '" + verb + "'." + hint, "/ops help");
        }
        return Message.of(Tone.INFO, builtin.get().spec().usage(), builtin.get().spec().summary());
    }

    private static Message all(BuiltinContext context) {
        Message.Builder b = Message.builder(Tone.INFO, "opsbot commands");
        for (Runbook r : context.catalog().all().values()) b.line(r.usageLine() + " — " + r.summary());
        for (BuiltinCommand c : context.commands().all()) b.line(c.spec().usage() + " — " + c.spec().summary());
        List<RunbookException> problems = context.catalog().problems();
        if (!problems.isEmpty()) {
            b.line("Broken runbook files (fix them and they reload; one that loaded before keeps its last good version meanwhile): "
                    + String.join("; ", problems.stream().map(RuntimeException::getMessage).toList()));
        }
        return b.context("/ops help <command> for details").build();
    }
}
