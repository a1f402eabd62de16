package dev.opsbot.core.health;

import java.util.Locale;

/** How loud an alert is: it decides which channels hear of it. */
public enum Severity {
    CRITICAL, WARNING;

    public static Severity parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("severity must be critical or warning, not '" + text + "'");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
