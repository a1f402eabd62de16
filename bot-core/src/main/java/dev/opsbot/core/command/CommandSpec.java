package dev.opsbot.core.command;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code /ops} verb as a platform-neutral description with typed options: what help
 * prints, and what a platform with command menus (Discord's subcommands) offers. From the
 * values chosen in such a menu, {@link #text} rebuilds the text the parser reads
 * ("deploy sha-abc1234", "logs backend --tail 20").
 */
public record CommandSpec(String verb, String summary, String usage, List<Option> options) {

    /** The verb of the free-text entry: {@code run text:<anything>}. */
    public static final String FREE_TEXT_VERB = "run";

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
     * A typed option. {@code choices} make it a pick list; {@code min} and {@code max} (may be
     * null) bound an integer.
     */
    public record Option(String name, String description, Type type, boolean required, Placement placement,
                         List<String> choices, Long min, Long max) {
        public Option {
            Objects.requireNonNull(name, "name");
            description = description == null || description.isBlank() ? name : description.strip();
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(placement, "placement");
            choices = choices == null ? List.of() : List.copyOf(choices);
        }

        public static Option text(String name, String description, boolean required, Placement placement) {
            return new Option(name, description, Type.TEXT, required, placement, List.of(), null, null);
        }

        public static Option integer(String name, String description, boolean required, Placement placement, long min, long max) {
            return new Option(name, description, Type.INTEGER, required, placement, List.of(), min, max);
        }
    }

    public CommandSpec {
        Objects.requireNonNull(verb, "verb");
        usage = usage == null || usage.isBlank() ? "/ops " + verb : usage;
        summary = summary == null || summary.isBlank() ? usage : summary.strip();
        options = List.copyOf(options);
        Set<String> names = new HashSet<>();
        for (Option o : options) {
            if (!names.add(o.name())) throw new IllegalArgumentException(verb + ": option " + o.name() + " twice");
        }
        if (options.stream().anyMatch(o -> o.placement() == Placement.COMMAND_TEXT) && options.size() != 1) {
            throw new IllegalArgumentException(verb + ": a command-text option must be the only option");
        }
    }

    /** {@code run text:<...>}: anything the other entries do not cover, typed as after "/ops". */
    public static CommandSpec freeText() {
        return new CommandSpec(FREE_TEXT_VERB, "Type any command as you would after /ops", "/ops <command>",
                List.of(Option.text("text", "For example: deploy sha-abc1234", true, Placement.COMMAND_TEXT)));
    }

    /** The same command with one more option (e.g. the environment), unless it has one of that name. */
    public CommandSpec with(Option extra) {
        if (options.stream().anyMatch(o -> o.name().equals(extra.name()))) return this;
        List<Option> more = new ArrayList<>(options);
        more.add(extra);
        return new CommandSpec(verb, summary, usage, more);
    }

    /**
     * The command text the parser expects, from the values given (by option name; absent options
     * are omitted): the verb, the positional values in declared order, then the flags. Values with
     * spaces or quotes are quoted the way the parser reads them.
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

    private static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"'
                || c == '\'' || c == '\u201c' || c == '\u201d');
        if (plain) return value;
        if (value.indexOf('"') < 0) return '"' + value + '"';
        if (value.indexOf('\'') < 0) return "'" + value + "'";
        return '"' + value.replace('"', '\'') + '"';
    }
}
