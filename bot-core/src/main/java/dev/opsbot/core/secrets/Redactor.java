package dev.opsbot.core.secrets;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Hides secrets in any text before it leaves the bot: the current and recent values of the
 * stack's secrets, and common token shapes (Slack {@code xox…}, GitHub {@code ghp_…}, {@code sk-…} keys).
 */
public final class Redactor implements UnaryOperator<String> {
    static final String MASK = "[redacted]";
    private static final int MIN_SECRET_LENGTH = 6;
    private static final Pattern TOKEN_SHAPES = Pattern.compile(
            "xox[abposr]-[A-Za-z0-9-]{8,}"
                    + "|xapp-[A-Za-z0-9-]{8,}"
                    + "|gh[pousr]_[A-Za-z0-9]{20,}"
                    + "|github_pat_[A-Za-z0-9_]{20,}"
                    + "|sk-[A-Za-z0-9_-]{16,}"
                    + "|AKIA[0-9A-Z]{16}");

    private final Supplier<? extends Collection<String>> secretValues;

    /** @param secretValues the values to hide, asked each time (so a rotation takes effect at once) */
    public Redactor(Supplier<? extends Collection<String>> secretValues) {
        this.secretValues = secretValues;
    }

    /** A redactor that knows no values, only token shapes. */
    public static Redactor shapesOnly() {
        return new Redactor(List::of);
    }

    @Override
    public String apply(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        // Longest first, so a secret that contains another is hidden whole.
        List<String> values = secretValues.get().stream()
                .filter(v -> v != null && v.length() >= MIN_SECRET_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String v : values) {
            if (out.contains(v)) out = out.replace(v, MASK);
        }
        return TOKEN_SHAPES.matcher(out).replaceAll(MASK);
    }
}
