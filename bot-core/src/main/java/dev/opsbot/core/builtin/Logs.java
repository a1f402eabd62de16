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
import dev.opsbot.core.compose.ComposeProject;
import java.time.Duration;
import java.util.List;

/** {@code /ops logs <service> [--tail N]}: the last lines of a service's log. */
public final class Logs implements BuiltinCommand {
    private static final String USAGE = "/ops logs <service> [--tail N]";
    private static final CommandSpec SPEC = new CommandSpec("logs", "the last lines of a service's log (default 50, at most 500)", USAGE,
            List.of(Option.text("service", "The service", true, Placement.ARGUMENT),
                    Option.integer("tail", "How many lines (default 50)", false, Placement.FLAG, 1, 500)));
    private static final Duration DOCKER_TIMEOUT = Duration.ofSeconds(20);

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public Message handle(Invocation inv, Origin origin, BuiltinContext context) {
        if (inv.args().size() != 1) throw new UsageException("Name one service.", USAGE);
        for (String flag : inv.flags().keySet()) {
            if (!flag.equals("tail")) throw new UsageException("Unknown option --" + flag + ".", USAGE);
        }
        int tail = inv.flags().containsKey("tail") ? Words.number(inv.flags().get("tail"), "--tail", 1, 500, USAGE) : 50;
        ComposeProject project = context.services().stack().load();
        String service = inv.args().get(0);
        if (project.service(service).isEmpty()) {
            String hint = Suggestions.closest(service, project.services().keySet()).map(s -> " Did you mean " + s + "?").orElse("");
            throw new UsageException("There is no service '" + service + "'." + hint + " Services: "
                    + String.join(", ", project.services().keySet()) + ".", USAGE);
        }
        StringBuilder out = new StringBuilder();
        context.services().docker().logs(project, service, tail, out::append, DOCKER_TIMEOUT);
        String text = out.toString().stripTrailing();
        return Message.builder(Tone.INFO, "Last " + tail + " lines of " + service).code(text.isEmpty() ? "(no output)" : text).build();
    }
}
