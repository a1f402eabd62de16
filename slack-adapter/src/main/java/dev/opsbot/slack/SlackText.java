package dev.opsbot.slack;

/**
 * Text as Slack's mrkdwn wants it: {@code &}, {@code <} and {@code >} escaped, and cut to a length
 * measured after escaping, never inside an escape or a surrogate pair.
 */
final class SlackText {

    static final String ELLIPSIS = "…";

    private SlackText() {
    }

    static String escape(String raw) {
        return escapeWithin(raw, Integer.MAX_VALUE, false);
    }

    /**
     * Escapes {@code raw} and cuts the result to at most {@code max} characters. Cut text ends (or,
     * with {@code keepTail}, starts) with an ellipsis; {@code keepTail} keeps the newest output of a log.
     */
    static String escapeWithin(String raw, int max, boolean keepTail) {
        if (raw == null || raw.isEmpty()) return "";
        // Most text has nothing to escape: its length is its escaped length, and it is its own escape.
        boolean plain = raw.indexOf('&') < 0 && raw.indexOf('<') < 0 && raw.indexOf('>') < 0;
        if (plain && raw.length() <= max) return raw;
        int escapedLength = plain ? raw.length() : escapedLength(raw);
        if (escapedLength <= max) return escapeAll(raw);
        int budget = Math.max(0, max - ELLIPSIS.length());
        int used = 0;
        if (keepTail) {
            int from = raw.length();
            while (from > 0) {
                int cp = raw.codePointBefore(from);
                int cost = escapedLength(cp);
                if (used + cost > budget) break;
                used += cost;
                from -= Character.charCount(cp);
            }
            return ELLIPSIS + escapeAll(raw.substring(from));
        }
        int to = 0;
        while (to < raw.length()) {
            int cp = raw.codePointAt(to);
            int cost = escapedLength(cp);
            if (used + cost > budget) break;
            used += cost;
            to += Character.charCount(cp);
        }
        return escapeAll(raw.substring(0, to)) + ELLIPSIS;
    }

    /** Plain text (headers, labels, buttons) is not escaped, only cut. */
    static String plainWithin(String raw, int max) {
        if (raw == null) return "";
        if (raw.length() <= max) return raw;
        int end = max - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(raw.charAt(end - 1))) end--;
        return raw.substring(0, Math.max(0, end)) + ELLIPSIS;
    }

    /** The length once escaped: each {@code &} grows by four, each {@code <} and {@code >} by three. */
    private static int escapedLength(String raw) {
        return raw.length() + 4 * count(raw, '&') + 3 * (count(raw, '<') + count(raw, '>'));
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
        return n;
    }

    /** Length of one code point once escaped, in UTF-16 chars (what Slack's limits count). */
    private static int escapedLength(int cp) {
        return switch (cp) {
            case '&' -> 5;
            case '<', '>' -> 4;
            default -> Character.charCount(cp);
        };
    }

    private static String escapeAll(String raw) {
        // & first, so the & of the other escapes is not escaped again.
        return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
