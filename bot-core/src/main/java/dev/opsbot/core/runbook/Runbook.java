package dev.opsbot.core.runbook;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.ChannelRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A procedure the bot can run, loaded from one YAML file: its name (the verb), what it is
 * for, its parameters, whether it changes anything (then it asks for confirmation), and steps.
 */
public record Runbook(String name, String summary, String usage, boolean mutates, Duration stepTimeout,
                      List<Parameter> params, List<Step> steps, boolean offerRollbackOnFailure,
                      String role, List<String> channels, Approval approval, Path file) {

    public Runbook {
        params = List.copyOf(params);
        steps = List.copyOf(steps);
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** The role a person needs to run this: declared, or deployer for what mutates and viewer otherwise. */
    public String requiredRole() {
        if (role != null) return role;
        return mutates ? AccessPolicy.DEPLOYER : AccessPolicy.VIEWER;
    }

    /** Whether the runbook may run in a channel: any, or one of those it lists (by id or platform:id). */
    public boolean allowedIn(ChannelRef channel) {
        return channels.isEmpty() || channels.contains(channel.id()) || channels.contains(channel.toString());
    }

    /**
     * Whether parameters validated earlier (when a confirmation was asked) still fit this
     * runbook: each one is declared and every required one is there.
     */
    public boolean accepts(Map<String, String> values) {
        Set<String> declared = params.stream().map(Parameter::name).collect(Collectors.toSet());
        return declared.containsAll(values.keySet())
                && params.stream().filter(Parameter::required).allMatch(p -> values.containsKey(p.name()));
    }

    /** The services the runbook pins, in order (for rollback suggestions and previews). */
    public List<String> pinnedServices() {
        return steps.stream().flatMap(s -> s.pinnedServices().stream()).distinct().toList();
    }

    /** The same runbook under another approval rule (none: {@code null}), as an environment's rules decide. */
    public Runbook withApproval(Approval rule) {
        return new Runbook(name, summary, usage, mutates, stepTimeout, params, steps, offerRollbackOnFailure, role, channels, rule, file);
    }

    /** The usage line: the declared one, or one made from the parameters. */
    public String usageLine() {
        if (usage != null && !usage.isBlank()) return "/ops " + usage.strip();
        return ("/ops " + name + " " + params.stream().map(Parameter::usageToken).collect(Collectors.joining(" "))).strip();
    }
}
