package dev.opsbot.discord;

import dev.opsbot.core.command.CommandSpec;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What Discord accepts of a subcommand: names of 1 to 32 lower-case letters, digits, - or _;
 * descriptions of at most 100 characters (longer ones are cut); at most 25 options, and pick
 * lists of at most 25 choices (a longer list is typed instead).
 */
final class DiscordRules {
    static final int MAX_DESCRIPTION = 100;
    static final int MAX_OPTIONS = 25;
    static final int MAX_CHOICES = 25;
    private static final Pattern NAME = Pattern.compile("[-_\\p{Ll}\\p{Lo}\\p{N}]{1,32}");

    private DiscordRules() {
    }

    /** Why {@code spec} cannot be a subcommand, or null when it can. */
    static String problem(CommandSpec spec) {
        if (!NAME.matcher(spec.verb()).matches()) return notAName("verb", spec.verb());
        if (spec.options().size() > MAX_OPTIONS) return "more than " + MAX_OPTIONS + " options";
        for (CommandSpec.Option o : spec.options()) {
            if (!NAME.matcher(o.name()).matches()) return notAName("option", o.name());
        }
        return null;
    }

    /** A description as Discord shows it: one line, a capital first letter, at most 100 characters. */
    static String description(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        if (!t.isEmpty()) t = t.substring(0, 1).toUpperCase(Locale.ROOT) + t.substring(1);
        return t.length() <= MAX_DESCRIPTION ? t : t.substring(0, MAX_DESCRIPTION - 1) + "\u2026";
    }

    /** The pick list Discord can show: the option's choices, or none when there are too many or one is too long. */
    static List<String> choices(CommandSpec.Option o) {
        boolean fits = o.choices().size() <= MAX_CHOICES
                && o.choices().stream().noneMatch(c -> c.isEmpty() || c.length() > MAX_DESCRIPTION);
        return fits ? o.choices() : List.of();
    }

    private static String notAName(String what, String name) {
        return what + " '" + name + "' is not a Discord command name (1 to 32 lower-case letters, digits, - or _)";
    }
}
