package dev.opsbot.discord;

import dev.opsbot.core.runbook.ParamKind;
import dev.opsbot.core.runbook.Parameter;
import dev.opsbot.core.runbook.Runbook;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /ops} verb as a platform-neutral description with typed options, from which the
 * adapter builds a Discord subcommand, and back from which it rebuilds the text the core parses
 * ("deploy sha-abc1234", "logs backend --tail 20"). Built from the core's runbooks, so the
 * command menu and the runbooks never drift apart.
 */
public record CommandSpec(String verb, String summary, List<Option> options) {

    /** The verb of the free-text subcommand: {@code /ops run text:<anything>}. */
    public static final String FREE_TEXT_VERB = "run";

    /** Discord's rule for command and option names. */
    private static final Pattern NAME = Pattern.compile("[-_\\p{Ll}\\p{Lo}\\p{N}]{1,32}");
    static final int MAX_DESCRIPTION = 100;
    static final int MAX_OPTIONS = 25;
    static final int MAX_CHOICES = 25;
    private static final Logger LOG = LoggerFactory.getLogger(CommandSpec.class);

    public enum Type { TEXT, INTEGER }

    /** Where an option's value goes in the rebuilt text. */
    public enum Placement {
        /** A positional word, in the order the options are declared. */
        ARGUMENT,
        /** {@code --name value}, after the positional words. */
        FLAG,
        /** The whole command text, taken as typed: the verb is not added. */
        COMMAND_TEXT
    }

    /**
     * A typed option. {@code choices} (at most 25) turn it into a pick list; {@code min} and
     * {@code max} (may be null) bound an integer.
     */
    public record Option(String name, String description, Type type, boolean required, Placement placement,
                         List<String> choices, Long min, Long max) {
        public Option {
            name = checkName(name, "option");
            description = descriptionOr(description, name);
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(placement, "placement");
            choices = choices == null ? List.of() : List.copyOf(choices);
            if (choices.size() > MAX_CHOICES) {
                throw new IllegalArgumentException("option " + name + " has more than " + MAX_CHOICES + " choices");
            }
            if (choices.stream().anyMatch(c -> c.isEmpty() || c.length() > MAX_DESCRIPTION)) {
                throw new IllegalArgumentException("option " + name + " has a choice longer than "
                        + MAX_DESCRIPTION + " characters or an empty one");
            }
        }

        static Option text(String name, String description, boolean required, Placement placement) {
            return new Option(name, description, Type.TEXT, required, placement, List.of(), null, null);
        }
    }

    public CommandSpec {
        verb = checkName(verb, "verb");
        summary = descriptionOr(summary, verb);
        options = List.copyOf(options);
        if (options.size() > MAX_OPTIONS) {
            throw new IllegalArgumentException(verb + " has more than " + MAX_OPTIONS + " options");
        }
        Set<String> names = new HashSet<>();
        for (Option o : options) {
            if (!names.add(o.name())) throw new IllegalArgumentException(verb + ": option " + o.name() + " twice");
        }
        if (options.stream().anyMatch(o -> o.placement() == Placement.COMMAND_TEXT) && options.size() != 1) {
            throw new IllegalArgumentException(verb + ": a command-text option must be the only option");
        }
    }

    /**
     * The subcommand for a runbook: one option per parameter, in order. Services with a list
     * and enums become pick lists, integers keep their bounds, tags and patterns are text.
     *
     * @throws IllegalArgumentException when the runbook's name or a parameter's name cannot be a
     *         Discord command or option name (the runbook stays reachable through {@code /ops run})
     */
    public static CommandSpec from(Runbook runbook) {
        List<Option> options = new ArrayList<>();
        for (Parameter p : runbook.params()) {
            Placement placement = p.flag() ? Placement.FLAG : Placement.ARGUMENT;
            List<String> choices = (p.kind() == ParamKind.ENUM || p.kind() == ParamKind.SERVICE)
                    && p.values().size() <= MAX_CHOICES ? p.values() : List.of();
            Type type = p.kind() == ParamKind.INT ? Type.INTEGER : Type.TEXT;
            Long min = type == Type.INTEGER && p.min() != Integer.MIN_VALUE ? Long.valueOf(p.min()) : null;
            Long max = type == Type.INTEGER && p.max() != Integer.MAX_VALUE ? Long.valueOf(p.max()) : null;
            String help = p.help().isBlank() ? describe(p) : p.help();
            if (p.defaultValue() != null && !p.required()) help = help + " (default " + p.defaultValue() + ")";
            options.add(new Option(p.name(), help, type, p.required(), placement, choices, min, max));
        }
        String summary = runbook.summary() == null || runbook.summary().isBlank() ? runbook.usageLine() : runbook.summary();
        return new CommandSpec(runbook.name(), summary, options);
    }

    /**
     * The verbs the core answers without a runbook, as its help describes them:
     * {@code help [command]}, {@code ps}, {@code logs <service> [--tail N]},
     * {@code history [service]}, {@code cancel <run>}, {@code audit [N]}, {@code alerts},
     * {@code mute <service> <duration>}, {@code envs}. {@code unlock --force} is
 * left to {@code /ops run}: a switch that clears a lock should be typed on purpose.
     */
    public static List<CommandSpec> builtIns() {
        return List.of(
                new CommandSpec("help", "This list, or the details of one command",
                        List.of(Option.text("command", "The command to explain", false, Placement.ARGUMENT))),
                new CommandSpec("ps", "The stack's containers: image, state, health", List.of()),
                new CommandSpec("logs", "The last lines of a service's log", List.of(
                        Option.text("service", "The service", true, Placement.ARGUMENT),
                        new Option("tail", "How many lines (default 50)", Type.INTEGER, false, Placement.FLAG,
                                List.of(), 1L, 500L))),
                new CommandSpec("history", "Recent runs and deploys",
                        List.of(Option.text("service", "Only this service", false, Placement.ARGUMENT))),
                new CommandSpec("cancel", "Stop a run before its next step",
                        List.of(Option.text("run", "The run number", true, Placement.ARGUMENT))),
                new CommandSpec("audit", "The last audit rows (admin)",
                        List.of(new Option("rows", "How many rows (default 20)", Type.INTEGER, false, Placement.ARGUMENT,
                                List.of(), 1L, 200L))),
                new CommandSpec("alerts", "Open health alerts and muted services", List.of()),
                new CommandSpec("mute", "No new alerts about a service for a while", List.of(
                        Option.text("service", "The service", true, Placement.ARGUMENT),
                        Option.text("duration", "For how long, e.g. 30m or 2h; off ends it", true, Placement.ARGUMENT))),
                new CommandSpec("envs", "The environments and their health at a glance", List.of()));
    }

    /** {@code /ops run text:<...>}: anything the subcommands do not cover, typed as after "/ops". */
    public static CommandSpec freeText() {
        return new CommandSpec(FREE_TEXT_VERB, "Type any command as you would after /ops",
                List.of(Option.text("text", "For example: deploy sha-abc1234", true, Placement.COMMAND_TEXT)));
    }

    /**
     * The built-in verbs followed by one subcommand per runbook. A runbook that cannot be a
     * subcommand, or whose verb is already taken, is left out with a warning: it stays reachable
     * through {@code /ops run}.
     */
    public static List<CommandSpec> forRunbooks(Collection<Runbook> runbooks) {
        return forRunbooks(runbooks, List.of());
    }

    /**
     * As {@link #forRunbooks(Collection)}; with more than one environment, every subcommand but
     * {@code help} and {@code envs} also takes {@code env} (a pick list of their names, given as
     * {@code --env}).
     */
    public static List<CommandSpec> forRunbooks(Collection<Runbook> runbooks, List<String> environments) {
        Map<String, CommandSpec> specs = new LinkedHashMap<>();
        builtIns().forEach(s -> specs.put(s.verb(), s));
        for (Runbook runbook : runbooks) {
            if (specs.containsKey(runbook.name()) || runbook.name().equals(FREE_TEXT_VERB)) {
                LOG.warn("Runbook {} has the name of another command: it is reachable as /ops {} text:{}",
                        runbook.name(), FREE_TEXT_VERB, runbook.name());
                continue;
            }
            try {
                specs.put(runbook.name(), from(runbook));
            } catch (IllegalArgumentException e) {
                LOG.warn("Runbook {} cannot be a Discord subcommand ({}): it is reachable as /ops {} text:{}",
                        runbook.name(), e.getMessage(), FREE_TEXT_VERB, runbook.name());
            }
        }
        if (environments.size() < 2) return List.copyOf(specs.values());
        return specs.values().stream().map(s -> s.verb().equals("help") || s.verb().equals("envs") ? s : s.withEnvironment(environments)).toList();
    }

    /** This subcommand with an optional {@code env} pick list (when it has room for one more option). */
    CommandSpec withEnvironment(List<String> environments) {
        if (options.size() >= MAX_OPTIONS || options.stream().anyMatch(o -> o.name().equals("env"))) return this;
        List<Option> more = new ArrayList<>(options);
        more.add(new Option("env", "The environment (default: this channel's)", Type.TEXT, false, Placement.FLAG,
                environments.size() <= MAX_CHOICES ? environments : List.of(), null, null));
        return new CommandSpec(verb, summary, more);
    }

    /**
     * The command text the core expects, from the values given (by option name; absent options
     * are omitted): the verb, the positional values in declared order, then the flags. Values with spaces
     * or quotes are quoted the way the core's parser reads them.
     */
    public String text(Map<String, String> values) {
        for (Option o : options) {
            if (o.placement() == Placement.COMMAND_TEXT) return values.getOrDefault(o.name(), "").strip();
        }
        List<String> words = new ArrayList<>();
        words.add(verb);
        for (Option o : options) {
            String value = values.get(o.name());
            if (o.placement() == Placement.ARGUMENT && value != null) words.add(quote(value));
        }
        for (Option o : options) {
            String value = values.get(o.name());
            if (o.placement() == Placement.FLAG && value != null) {
                words.add("--" + o.name());
                if (!value.isEmpty()) words.add(quote(value));
            }
        }
        return String.join(" ", words);
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

    private static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"'
                || c == '\'' || c == '\u201c' || c == '\u201d');
        if (plain) return value;
        if (value.indexOf('"') < 0) return '"' + value + '"';
        if (value.indexOf('\'') < 0) return "'" + value + "'";
        return '"' + value.replace('"', '\'') + '"';
    }

    private static String checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name
                    + "' is not a Discord command name (1 to 32 lower-case letters, digits, - or _)");
        }
        return name;
    }

    private static String descriptionOr(String text, String fallback) {
        String t = text == null || text.isBlank() ? fallback : text.strip().replaceAll("\\s+", " ");
        return t.length() <= MAX_DESCRIPTION ? t : t.substring(0, MAX_DESCRIPTION - 1) + "\u2026";
    }

}
