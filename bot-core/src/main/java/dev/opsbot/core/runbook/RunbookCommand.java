package dev.opsbot.core.runbook;

import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.command.CommandSpec.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * A runbook as a command: one typed option per parameter, in order. Services and enums become
 * pick lists, integers keep their bounds, tags and patterns are text.
 */
public final class RunbookCommand {
    private RunbookCommand() {
    }

    public static CommandSpec spec(Runbook runbook) {
        List<Option> options = new ArrayList<>();
        for (Parameter p : runbook.params()) {
            Placement placement = p.flag() ? Placement.FLAG : Placement.ARGUMENT;
            List<String> choices = p.kind() == ParamKind.ENUM || p.kind() == ParamKind.SERVICE ? p.values() : List.of();
            Type type = p.kind() == ParamKind.INT ? Type.INTEGER : Type.TEXT;
            Long min = type == Type.INTEGER && p.min() != Integer.MIN_VALUE ? Long.valueOf(p.min()) : null;
            Long max = type == Type.INTEGER && p.max() != Integer.MAX_VALUE ? Long.valueOf(p.max()) : null;
            String help = p.help().isBlank() ? describe(p) : p.help();
            if (p.defaultValue() != null && !p.required()) help = help + " (default " + p.defaultValue() + ")";
            options.add(new Option(p.name(), help, type, p.required(), placement, choices, min, max));
        }
        return new CommandSpec(runbook.name(), runbook.summary(), runbook.usageLine(), options);
    }

    private static String describe(Parameter p) {
        return switch (p.kind()) {
            case TAG -> "Image tag, e.g. sha-abc1234 or 1.2.3";
            case SERVICE -> "A service of the compose file";
            case ENUM -> "One of: " + String.join(", ", p.values());
            case PATTERN -> "Text matching " + p.pattern().pattern();
            case INT -> "A whole number";
        };
    }
}
