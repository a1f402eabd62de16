package dev.opsbot.core.secrets;

import dev.opsbot.core.chat.Field;
import dev.opsbot.core.chat.Message;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hides secrets in any text before it leaves the bot: the current and recent values of the
 * stack's secrets, common token shapes (Slack {@code xox…}, GitHub {@code ghp_…}, {@code sk-…}
 * keys), and the password part of URLs ({@code https://user:token@host}).
 *
 * <p>It runs on every line of step output, so the common case is cheap: each pattern only runs
 * on text that holds a fixed part it needs (a shape's beginning, {@code ://} and {@code @}), and
 * the secret values are sorted once per change of the set rather than once per line.
 */
public final class Redactor implements UnaryOperator<String> {
    static final String MASK = "[redacted]";
    private static final int MIN_SECRET_LENGTH = 6;
    static final Pattern TOKEN_SHAPES = Pattern.compile(
            "xox[abposr]-[A-Za-z0-9-]{8,}"
                    + "|xapp-[A-Za-z0-9-]{8,}"
                    + "|gh[pousr]_[A-Za-z0-9]{20,}"
                    + "|github_pat_[A-Za-z0-9_]{20,}"
                    + "|sk-[A-Za-z0-9_-]{16,}"
                    + "|AKIA[0-9A-Z]{16}");
    private static final Pattern URL_PASSWORD = Pattern.compile("([a-z][a-z0-9+.-]*://[^/@:\\s]*):[^/@\\s]+@");

    private final Supplier<? extends Collection<String>> secretValues;
    private final List<String> fixedValues;

    /** The set last asked for and its usable values, longest first (one immutable pair, swapped whole). */
    private record Sorted(Collection<String> source, List<String> values) { }

    private volatile Sorted sorted = new Sorted(null, List.of());

    /** @param secretValues the values to hide, asked each time (so a rotation takes effect at once) */
    public Redactor(Supplier<? extends Collection<String>> secretValues) {
        this(secretValues, List.of());
    }

    /**
     * @param secretValues the values to hide, asked each time (so a rotation takes effect at once);
     *                     sorted again only when it answers with another collection than before
     * @param fixedValues  values to hide that never change (configured passwords)
     */
    public Redactor(Supplier<? extends Collection<String>> secretValues, Collection<String> fixedValues) {
        this.secretValues = secretValues;
        this.fixedValues = fixedValues.stream().filter(Objects::nonNull).toList();
    }

    /** A redactor that knows no values, only token shapes. */
    public static Redactor shapesOnly() {
        return new Redactor(List::of);
    }

    @Override
    public String apply(String text) {
        return apply(text, values());
    }

    private static String apply(String text, List<String> values) {
        if (text == null || text.isEmpty()) return text;
        String out = text;
        for (String v : values) {
            if (out.contains(v)) out = out.replace(v, MASK);
        }
        if (out.contains("://") && out.indexOf('@') >= 0) {
            out = URL_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        }
        return mayHoldToken(out) ? TOKEN_SHAPES.matcher(out).replaceAll(MASK) : out;
    }

    /** The secret values, longest first, so a secret that contains another is hidden whole. */
    private List<String> values() {
        Collection<String> now = secretValues.get();
        Sorted s = sorted;
        if (s.source() != now) {
            s = new Sorted(now, Stream.concat(now.stream(), fixedValues.stream())
                    .filter(v -> v != null && v.length() >= MIN_SECRET_LENGTH)
                    .sorted(Comparator.comparingInt(String::length).reversed()).toList());
            sorted = s;
        }
        return s.values();
    }

    /** False only when no token shape can match: none of their fixed beginnings is in the text. */
    static boolean mayHoldToken(String text) {
        if (text.contains("xox") || text.contains("xapp-") || text.contains("sk-") || text.contains("AKIA")
                || text.contains("github_pat_")) {
            return true;
        }
        for (int i = text.indexOf("gh"); i >= 0 && i + 3 < text.length(); i = text.indexOf("gh", i + 1)) {
            if ("pousr".indexOf(text.charAt(i + 2)) >= 0 && text.charAt(i + 3) == '_') return true;
        }
        return false;
    }

    /** The message with every text part redacted (buttons carry opaque tokens and labels the bot wrote). */
    public Message apply(Message m) {
        List<String> v = values();
        return new Message(apply(m.title(), v), m.tone(), apply(m.text(), v),
                m.fields().stream().map(f -> new Field(apply(f.name(), v), apply(f.value(), v))).toList(),
                apply(m.code(), v), apply(m.context(), v), m.buttons());
    }

    /** What kind of token a text holds, if it holds one of the known shapes ("a GitHub token"). */
    public static Optional<String> tokenShape(String text) {
        Matcher m = TOKEN_SHAPES.matcher(text);
        if (!m.find()) return Optional.empty();
        String t = m.group();
        if (t.startsWith("xox") || t.startsWith("xapp")) return Optional.of("a Slack token");
        if (t.startsWith("gh") || t.startsWith("github_pat_")) return Optional.of("a GitHub token");
        if (t.startsWith("AKIA")) return Optional.of("an AWS access key");
        return Optional.of("an API key (sk-…)");
    }
}
