package dev.opsbot.core.compose;

import java.util.Map;

/**
 * Compose-style variable interpolation: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR-default}}, {@code ${VAR:?message}} and {@code $$} for a literal dollar.
 */
final class Interpolator {
    private final Map<String, String> vars;

    Interpolator(Map<String, String> vars) {
        this.vars = vars;
    }

    String apply(String text) {
        if (text.indexOf('$') < 0) return text;
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = text.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) throw new ComposeException("unclosed ${ in \"" + text + "\"");
                out.append(expand(text.substring(i + 2, end)));
                i = end + 1;
            } else if (Character.isLetter(next) || next == '_') {
                int j = i + 1;
                while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) j++;
                out.append(vars.getOrDefault(text.substring(i + 1, j), ""));
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String expand(String expr) {
        for (String op : new String[] {":-", ":?", "-", "?"}) {
            int at = expr.indexOf(op);
            if (at > 0) {
                String name = expr.substring(0, at);
                String arg = expr.substring(at + op.length());
                String value = vars.get(name);
                boolean missing = op.startsWith(":") ? value == null || value.isEmpty() : value == null;
                if (!missing) return value;
                if (op.endsWith("?")) throw new ComposeException("variable " + name + " is required: " + arg);
                return apply(arg);
            }
        }
        return vars.getOrDefault(expr, "");
    }
}
