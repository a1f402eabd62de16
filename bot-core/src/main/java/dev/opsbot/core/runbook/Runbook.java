package dev.opsbot.core.runbook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A procedure the bot can run, loaded from one YAML file: its name (the verb), what it is
 * for, its parameters, whether it changes anything (then it asks for confirmation), and steps.
 */
public record Runbook(String name, String summary, String usage, boolean mutates, Duration stepTimeout,
                      List<Parameter> params, List<Step> steps, boolean offerRollbackOnFailure,
                      String role, List<String> channels, Path file) {

    public Runbook {
        params = List.copyOf(params);
        steps = List.copyOf(steps);
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** The usage line: the declared one, or one made from the parameters. */
    public String usageLine() {
        if (usage != null && !usage.isBlank()) return "/ops " + usage.strip();
        return ("/ops " + name + " " + params.stream().map(Parameter::usageToken).collect(Collectors.joining(" "))).strip();
    }
}
