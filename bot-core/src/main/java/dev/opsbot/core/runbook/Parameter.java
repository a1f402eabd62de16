package dev.opsbot.core.runbook;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A declared runbook parameter: positional (in order) or a {@code --flag}. Every value typed
 * in chat is checked against it before anything runs.
 */
public record Parameter(String name, ParamKind kind, boolean required, String defaultValue, boolean flag,
                        List<String> values, Pattern pattern, int min, int max, String help, String defaultFrom) {

    /** {@code default-from} value: the last known-good tag of the first service the runbook pins. */
    public static final String LAST_KNOWN_GOOD = "last-known-good";

    public static final Pattern TAG = Pattern.compile("sha-[0-9a-f]{7,40}|[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?");

    public Parameter {
        values = values == null ? List.of() : List.copyOf(values);
        help = help == null ? "" : help;
    }

    /** The same parameter with another default. */
    public Parameter withDefault(String value) {
        return new Parameter(name, kind, required, value, flag, values, pattern, min, max, help, defaultFrom);
    }

    /** How the parameter appears in a usage line. */
    public String usageToken() {
        String inner = flag ? "--" + name + " " + placeholder() : "<" + name + ">";
        return required && defaultFrom == null ? inner : "[" + inner + "]";
    }

    private String placeholder() {
        return kind == ParamKind.INT ? "N" : name.toUpperCase(Locale.ROOT);
    }
}
