package dev.opsbot.app.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the style asks of every main source file: small classes, and imports instead of inline
 * qualified names (a name is written in full only where a file needs two classes of that name).
 */
class SourceRulesTest {
    private static final List<String> MODULES = List.of("bot-core", "slack-adapter", "discord-adapter", "bot-app");
    private static final int MAX_LINES = 400;
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+[\\w.]+\\.([A-Z]\\w*);");
    /** A qualified class name in code: lower-case package words, then a capitalised class. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.@\"])(?:java|javax|dev|com|org|net|io|ch|picocli|okhttp3)\\.(?:[a-z_][a-z0-9_]*\\.)+[A-Z]\\w*");

    @Test
    void noMainClassIsOver400Lines() {
        List<String> big = new ArrayList<>();
        for (Path file : sources()) {
            int lines = read(file).split("\n", -1).length;
            if (lines > MAX_LINES) big.add(RepoRoot.get().relativize(file) + " (" + lines + " lines)");
        }
        assertEquals(List.of(), big, "split these by job");
    }

    @Test
    void codeImportsClassesInsteadOfNamingThemInFull() {
        List<String> inline = new ArrayList<>();
        for (Path file : sources()) {
            String text = read(file);
            Set<String> imported = imported(text);
            boolean comment = false;
            int n = 0;
            for (String line : text.split("\n", -1)) {
                n++;
                String s = line.strip();
                if (comment) {
                    comment = !s.contains("*/");
                    continue;
                }
                if (s.startsWith("/*")) {
                    comment = !s.contains("*/");
                    continue;
                }
                if (s.startsWith("//") || s.startsWith("*") || s.startsWith("import ") || s.startsWith("package ")) continue;
                Matcher m = QUALIFIED.matcher(withoutStrings(s));
                while (m.find()) {
                    String simple = m.group().substring(m.group().lastIndexOf('.') + 1);
                    if (!imported.contains(simple)) inline.add(RepoRoot.get().relativize(file) + ":" + n + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), inline, "import these");
    }

    /** The simple names a file imports (another class of the same name must then be written in full). */
    private static Set<String> imported(String text) {
        Set<String> names = new HashSet<>();
        Matcher m = IMPORT.matcher(text);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    private static String withoutStrings(String line) {
        return line.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("//.*$", "");
    }

    private static List<Path> sources() {
        List<Path> out = new ArrayList<>();
        for (String module : MODULES) {
            try (Stream<Path> files = Files.walk(RepoRoot.get().resolve(module).resolve("src/main/java"))) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
