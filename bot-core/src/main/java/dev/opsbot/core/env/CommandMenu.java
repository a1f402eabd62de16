package dev.opsbot.core.env;

import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.CommandSpec.Option;
import dev.opsbot.core.command.CommandSpec.Placement;
import dev.opsbot.core.command.CommandSpec.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The commands of every environment as one menu. A verb that several environments define
 * differently (a swarm environment's deploy beside a compose one's) takes the options of all of
 * them: an option is required only where every environment requires it, and offers the choices
 * of all. With more than one environment every command but help and envs also takes {@code env}.
 */
final class CommandMenu {
    private static final Set<String> EVERYWHERE = Set.of("help", "envs");

    private CommandMenu() {
    }

    static List<CommandSpec> of(Map<String, List<CommandSpec>> byEnvironment) {
        Map<String, CommandSpec> merged = new LinkedHashMap<>();
        for (List<CommandSpec> specs : byEnvironment.values()) {
            for (CommandSpec spec : specs) merged.merge(spec.verb(), spec, CommandMenu::merge);
        }
        if (byEnvironment.size() < 2) return List.copyOf(merged.values());
        List<String> names = List.copyOf(byEnvironment.keySet());
        Option env = new Option("env", "The environment (default: this channel's)", Type.TEXT, false, Placement.FLAG, names, null, null);
        return merged.values().stream().map(s -> EVERYWHERE.contains(s.verb()) ? s : s.with(env)).toList();
    }

    private static CommandSpec merge(CommandSpec a, CommandSpec b) {
        if (a.equals(b)) return a;
        Map<String, Option> options = new LinkedHashMap<>();
        for (Option o : a.options()) options.put(o.name(), missingFrom(b, o));
        for (Option o : b.options()) options.merge(o.name(), missingFrom(a, o), CommandMenu::merge);
        return new CommandSpec(a.verb(), a.summary(), a.usage(), List.copyOf(options.values()));
    }

    /** The option, optional when the other description of its verb lacks it. */
    private static Option missingFrom(CommandSpec other, Option o) {
        Optional<Option> there = other.options().stream().filter(x -> x.name().equals(o.name())).findFirst();
        return there.isPresent() ? o : new Option(o.name(), o.description(), o.type(), false, o.placement(), o.choices(), o.min(), o.max());
    }

    private static Option merge(Option a, Option b) {
        if (a.equals(b)) return a;
        Set<String> choices = new LinkedHashSet<>(a.choices());
        choices.addAll(b.choices());
        // A pick list only where both offered one: otherwise one environment's values would be refused by the menu.
        List<String> offered = a.choices().isEmpty() || b.choices().isEmpty() ? List.of() : new ArrayList<>(choices);
        Type type = a.type() == b.type() ? a.type() : Type.TEXT;
        return new Option(a.name(), a.description(), type, a.required() && b.required(), a.placement(), offered,
                type == Type.INTEGER ? min(a.min(), b.min()) : null, type == Type.INTEGER ? max(a.max(), b.max()) : null);
    }

    private static Long min(Long a, Long b) {
        return a == null || b == null ? null : Math.min(a, b);
    }

    private static Long max(Long a, Long b) {
        return a == null || b == null ? null : Math.max(a, b);
    }
}
