package dev.opsbot.core.runbook;

import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.Suggestions;
import dev.opsbot.core.command.UsageException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Checks a typed invocation against a runbook's declared parameters and returns the values
 * by name. Anything not declared, or not of the declared shape, is refused with a message
 * that says what was expected; nothing the person typed is used unchecked.
 */
public final class ArgumentBinder {
    private static final int MAX_VALUE_LENGTH = 200;
    /** Digits 0-9 only: Integer.parseInt also reads other scripts' digits, which would reach a step as typed. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]+");

    /** @param services the services of the compose file, asked only when a parameter needs them */
    public Map<String, String> bind(Runbook runbook, Invocation inv, Supplier<Collection<String>> services) {
        String usage = runbook.usageLine();
        List<Parameter> positional = runbook.params().stream().filter(p -> !p.flag()).toList();
        Map<String, Parameter> flags = new LinkedHashMap<>();
        runbook.params().stream().filter(Parameter::flag).forEach(p -> flags.put(p.name(), p));

        if (inv.args().size() > positional.size()) {
            List<String> extra = inv.args().subList(positional.size(), inv.args().size());
            throw new UsageException("Too many arguments: " + String.join(" ", extra) + ".", usage);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < positional.size(); i++) {
            Parameter p = positional.get(i);
            String v = i < inv.args().size() ? inv.args().get(i) : null;
            put(values, p, v, usage, services);
        }
        for (Map.Entry<String, String> f : inv.flags().entrySet()) {
            if (!flags.containsKey(f.getKey())) {
                String hint = Suggestions.closest(f.getKey(), flags.keySet()).map(s -> " Did you mean --" + s + "?").orElse("");
                throw new UsageException("Unknown option --" + f.getKey() + "." + hint, usage);
            }
        }
        for (Parameter p : flags.values()) put(values, p, inv.flags().get(p.name()), usage, services);
        return values;
    }

    private void put(Map<String, String> values, Parameter p, String raw, String usage, Supplier<Collection<String>> services) {
        if (raw == null || raw.isEmpty()) {
            if (p.required()) throw new UsageException("Missing " + label(p) + (p.help().isEmpty() ? "" : ": " + p.help()) + ".", usage);
            if (p.defaultValue() != null) values.put(p.name(), p.defaultValue());
            return;
        }
        values.put(p.name(), check(p, raw, usage, services));
    }

    /** The value as steps get it, when {@code p} accepts {@code v} (a runbook's default is checked so); the refusal otherwise. */
    String accepted(Parameter p, String v) {
        return check(p, v, "", p::values);
    }

    private static String label(Parameter p) {
        return p.flag() ? "--" + p.name() : "<" + p.name() + ">";
    }

    private String check(Parameter p, String v, String usage, Supplier<Collection<String>> services) {
        if (v.length() > MAX_VALUE_LENGTH || v.chars().anyMatch(Character::isISOControl)) {
            throw new UsageException(label(p) + " is not a plain value.", usage);
        }
        switch (p.kind()) {
            case TAG -> {
                if (!Parameter.TAG.matcher(v).matches()) {
                    throw new UsageException("'" + shorten(v) + "' is not an image tag: use sha- and 7 to 40 lower-case hex digits "
                            + "(sha-abc1234) or a version like 0.1.0.", usage);
                }
            }
            case SERVICE -> {
                Collection<String> known = p.values().isEmpty() ? services.get() : p.values();
                if (!known.contains(v)) {
                    String hint = Suggestions.closest(v, known).map(s -> " Did you mean " + s + "?").orElse("");
                    throw new UsageException("There is no service '" + shorten(v) + "'." + hint
                            + " Services: " + String.join(", ", known) + ".", usage);
                }
            }
            case ENUM -> {
                if (!p.values().contains(v)) {
                    throw new UsageException(label(p) + " must be one of " + String.join(", ", p.values()) + ".", usage);
                }
            }
            case PATTERN -> {
                if (!p.pattern().matcher(v).matches()) {
                    throw new UsageException("'" + shorten(v) + "' is not a valid " + label(p)
                            + (p.help().isEmpty() ? "" : " (" + p.help() + ")") + ".", usage);
                }
            }
            case INT -> {
                int n;
                try {
                    if (!WHOLE_NUMBER.matcher(v).matches()) throw new NumberFormatException(v);
                    n = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new UsageException(label(p) + " must be a whole number.", usage);
                }
                if (n < p.min() || n > p.max()) {
                    throw new UsageException(label(p) + " must be between " + p.min() + " and " + p.max() + ".", usage);
                }
                // The number as steps should see it: +4 and 004 are 4.
                return Integer.toString(n);
            }
        }
        return v;
    }

    private static String shorten(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "…" : v;
    }

    /** The parameter lines of "help <verb>". */
    public static List<String> describe(Runbook runbook) {
        List<String> lines = new ArrayList<>();
        for (Parameter p : runbook.params()) {
            String kind = switch (p.kind()) {
                case TAG -> "image tag (sha-abc1234 or 0.1.0)";
                case SERVICE -> p.values().isEmpty() ? "a service of the stack" : "one of " + String.join(", ", p.values());
                case ENUM -> "one of " + String.join(", ", p.values());
                case PATTERN -> "text matching " + p.pattern().pattern();
                case INT -> "a number" + (p.min() != Integer.MIN_VALUE ? " from " + p.min() : "") + (p.max() != Integer.MAX_VALUE ? " to " + p.max() : "");
            };
            lines.add(label(p) + ": " + (p.help().isEmpty() ? kind : p.help() + " — " + kind)
                    + (p.defaultValue() != null ? " (default " + p.defaultValue() + ")" : ""));
        }
        return lines;
    }
}
