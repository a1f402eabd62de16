package dev.opsbot.core.testing;

import java.util.List;
import java.util.Random;

/**
 * Texts for property tests: what people type and paste (words, quotes, flags), what editors
 * and platforms leave in (tabs, non-breaking spaces, line separators, emoji) and what nobody
 * means to send (control characters, a NUL, half of a surrogate pair), in proportions that keep
 * most inputs close to real ones.
 */
public final class RandomText {
    /** Characters that mean something to a parser somewhere: quotes, dashes, YAML and JSON punctuation. */
    private static final String PUNCTUATION = "\"'\u201c\u201d-=:,#{}[]()<>|&;*!%@`$\\/.?^~+_";
    private static final List<String> ODD = List.of("\u0000", "\u0007", "\u001b", "\t", "\r", "\n", "\u00a0", "\u2028", "\u200b",
            "\u202e", "\ufeff", "\ud83d\ude80", "\ud800", "\udc00", "\u00e9", "\u00df", "\u4e2d", "\u0663", "\uff10", "\u0130");

    private RandomText() {
    }

    /** Any text up to {@code max} characters, mostly printable. */
    public static String any(Random r, int max) {
        int length = length(r, max);
        StringBuilder out = new StringBuilder();
        while (out.length() < length) out.append(character(r));
        return out.toString();
    }

    /** One character (or surrogate pair) of {@link #any}: letters and digits most often. */
    public static String character(Random r) {
        int roll = r.nextInt(100);
        if (roll < 55) return String.valueOf((char) ('a' + r.nextInt(26)));
        if (roll < 62) return String.valueOf((char) ('A' + r.nextInt(26)));
        if (roll < 72) return String.valueOf((char) ('0' + r.nextInt(10)));
        if (roll < 82) return " ";
        if (roll < 92) return String.valueOf(PUNCTUATION.charAt(r.nextInt(PUNCTUATION.length())));
        if (roll < 98) return pick(r, ODD);
        return String.valueOf((char) r.nextInt(0x10000));
    }

    /** A length up to {@code max}, short ones far more often (most bugs need few characters). */
    public static int length(Random r, int max) {
        int roll = r.nextInt(10);
        if (roll < 6) return r.nextInt(Math.min(max, 12) + 1);
        if (roll < 9) return r.nextInt(Math.min(max, 80) + 1);
        return r.nextInt(max + 1);
    }

    /** A word of lower-case letters, digits and dashes, as names are written. */
    public static String name(Random r, int max) {
        int length = 1 + r.nextInt(max);
        StringBuilder out = new StringBuilder().append((char) ('a' + r.nextInt(26)));
        while (out.length() < length) {
            int roll = r.nextInt(10);
            out.append(roll < 7 ? (char) ('a' + r.nextInt(26)) : roll < 9 ? (char) ('0' + r.nextInt(10)) : '-');
        }
        return out.toString();
    }

    /** Text with a few random edits: characters taken out, put in, doubled or swapped, or the end cut off. */
    public static String mutate(Random r, String text) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = out.length() == 0 ? 0 : r.nextInt(out.length());
            switch (r.nextInt(6)) {
                case 0 -> out.delete(at, Math.min(out.length(), at + 1 + r.nextInt(8)));
                case 1 -> out.insert(at, character(r));
                case 2 -> out.insert(at, pick(r, List.of(": ", "\n", "\n  ", "- ", "{", "[", "\"", "'", "&a ", "*a", "!!", "${", "\t", "#")));
                case 3 -> {
                    if (out.length() > 1 && at + 1 < out.length()) {
                        char c = out.charAt(at);
                        out.setCharAt(at, out.charAt(at + 1));
                        out.setCharAt(at + 1, c);
                    }
                }
                case 4 -> out.setLength(at);
                default -> {
                    int end = Math.min(out.length(), at + 1 + r.nextInt(20));
                    out.insert(at, out.substring(at, end));
                }
            }
        }
        return out.toString();
    }

    public static <T> T pick(Random r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }
}
