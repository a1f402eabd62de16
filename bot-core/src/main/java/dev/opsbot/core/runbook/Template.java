package dev.opsbot.core.runbook;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code ${name}} placeholders in step fields from the run's validated parameters.
 * Values only ever become single arguments of a command list or parts of a URL: never shell text.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z][a-zA-Z0-9_-]*)}");
    private final Map<String, String> values;

    public Template(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public String apply(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) throw new IllegalStateException("no value for ${" + m.group(1) + "}");
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public Map<String, String> values() {
        return values;
    }

    /** The placeholder names a text uses, to check them against the declared parameters at load time. */
    static Set<String> names(String text) {
        Set<String> names = new HashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) names.add(m.group(1));
        return names;
    }
}
