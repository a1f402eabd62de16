package dev.opsbot.core.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits the text after "/ops" into a verb, positional arguments and {@code --flag value}
 * pairs. Quotes group words; nothing is ever interpreted by a shell. A flag followed by
 * another flag or by the end of the text is a switch with an empty value.
 */
public final class CommandParser {
    private static final int MAX_LENGTH = 1000;

    public Invocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new UsageException("Type a command after /ops.", "/ops help");
        }
        if (text.length() > MAX_LENGTH) {
            throw new UsageException("That command is longer than " + MAX_LENGTH + " characters.", "/ops help");
        }
        List<String> words = split(text.strip());
        String verb = words.get(0).toLowerCase(Locale.ROOT);
        if (verb.isBlank()) {
            // Quotes around nothing ("" or '  ') are a word, but not a command.
            throw new UsageException("Type a command after /ops, not an empty quote.", "/ops help");
        }
        if (verb.startsWith("/")) {
            throw new UsageException("Type the command without a second slash: /ops " + verb.substring(1), "/ops help");
        }
        List<String> args = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (word.startsWith("--") && word.length() > 2) {
                String name = word.substring(2);
                String value = "";
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                    if (name.isEmpty()) {
                        throw new UsageException("'" + word + "' names no option: write --name value or --name=value.", "/ops help " + verb);
                    }
                } else if (i + 1 < words.size() && !words.get(i + 1).startsWith("--")) {
                    value = words.get(++i);
                }
                if (flags.put(name.toLowerCase(Locale.ROOT), value) != null) {
                    throw new UsageException("--" + name + " is given twice.", "/ops help " + verb);
                }
            } else {
                args.add(word);
            }
        }
        return new Invocation(verb, args, flags);
    }

    private static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'' || c == '\u201c' || c == '\u201d') {
                quote = c == '\u201c' ? '\u201d' : c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new UsageException("A quote is not closed.", "/ops help");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
