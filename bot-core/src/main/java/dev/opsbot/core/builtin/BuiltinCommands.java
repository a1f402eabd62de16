package dev.opsbot.core.builtin;

import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCommand;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The built-in commands, in the order help lists them. */
public final class BuiltinCommands {
    private final Map<String, BuiltinCommand> byVerb = new LinkedHashMap<>();

    /**
     * Those listed in {@code META-INF/services/dev.opsbot.core.builtin.BuiltinCommand} on the class
     * path (the thread's context class loader, so a plugin folder's loader can add some).
     */
    public static BuiltinCommands discover() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : BuiltinCommand.class.getClassLoader();
        return new BuiltinCommands(ServiceLoader.load(BuiltinCommand.class, loader).stream().map(ServiceLoader.Provider::get).toList());
    }

    public BuiltinCommands(List<BuiltinCommand> commands) {
        for (BuiltinCommand c : commands) {
            if (byVerb.putIfAbsent(c.verb(), c) != null) throw new IllegalStateException("built-in command " + c.verb() + " twice");
        }
    }

    public Optional<BuiltinCommand> find(String verb) {
        return Optional.ofNullable(byVerb.get(verb));
    }

    public List<BuiltinCommand> all() {
        return List.copyOf(byVerb.values());
    }

    public List<String> verbs() {
        return List.copyOf(byVerb.keySet());
    }

    /**
     * What command menus offer, in order: the built-ins, then one entry per runbook. A runbook
     * named like a built-in is left out: the built-in answers that name.
     */
    public List<CommandSpec> menuWith(Collection<Runbook> runbooks) {
        List<CommandSpec> menu = new ArrayList<>();
        byVerb.values().stream().filter(BuiltinCommand::inMenus).map(BuiltinCommand::spec).forEach(menu::add);
        runbooks.stream().filter(r -> !byVerb.containsKey(r.name())).map(RunbookCommand::spec).forEach(menu::add);
        return menu;
    }
}
