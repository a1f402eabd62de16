package dev.opsbot.core.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person reads when the bot refuses or fails must be words for a person: not empty, not
 * "null", no Java class name (qualified, or an exception's simple name) and no stack frame.
 */
public final class ClearMessage {
    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:java|javax|jdk|sun|dev|com|org|net|io)\\.(?:[a-z_][a-z0-9_]*\\.)*[A-Z]\\w*");
    private static final Pattern EXCEPTION = Pattern.compile("\\b[A-Z]\\w*(?:Exception|Error)\\b");
    private static final Pattern FRAME = Pattern.compile("\\bat [\\w.$]+\\([\\w.]*(?::\\d+)?\\)");

    private ClearMessage() {
    }

    /** Fails naming {@code what} when {@code text} is not a clear message. */
    public static void check(String what, String text) {
        if (text == null || text.isBlank() || text.strip().equals("null")) {
            throw new AssertionError(what + " is empty: " + Tries.show(text));
        }
        for (Pattern p : new Pattern[] {QUALIFIED, EXCEPTION, FRAME}) {
            Matcher m = p.matcher(text);
            if (m.find()) throw new AssertionError(what + " shows code (" + m.group() + "): " + Tries.show(text));
        }
    }
}
