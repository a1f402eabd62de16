package dev.opsbot.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.opsbot.core.testing.ClearMessage;
import dev.opsbot.core.testing.RandomText;
import dev.opsbot.core.testing.Tries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Whatever is typed after /ops, the parser answers with an invocation or a usage refusal, and reads back what was meant. */
@Tag("property")
class CommandParserPropertyTest {
    static final int TRIES = 10_000;
    private static final List<String> SPACES = List.of(" ", " ", " ", "  ", "\t", "\n", "\u2028", "\u3000");
    private static final List<String> WORDS = List.of("deploy", "rollback", "logs", "help", "ps", "sha-5d6e7f8", "0.1.0", "backend",
            "--tail", "--force", "--reason", "--env", "--", "-", "--=", "\"", "'", "\u201c", "\u201d", "/ops", "/deploy", "#3");
    private final CommandParser parser = new CommandParser();

    @Test
    void anyTextIsAnInvocationOrARefusalWithItsUsage() {
        Tries.check(TRIES, CommandParserPropertyTest::typed, Tries::shorter, text -> {
            Invocation inv;
            try {
                inv = parser.parse(text);
            } catch (UsageException e) {
                ClearMessage.check("the refusal", e.getMessage());
                assertTrue(e.usage().startsWith("/ops "), "a refusal carries the usage: " + e.usage());
                return;
            }
            assertFalse(inv.verb().isEmpty(), "an invocation has a verb");
            assertEquals(inv.verb().toLowerCase(Locale.ROOT), inv.verb());
            assertFalse(inv.verb().startsWith("/"), inv.verb());
            inv.flags().keySet().forEach(name -> assertFalse(name.isEmpty(), "a flag has a name"));
        });
    }

    @Test
    void whatIsTypedIsWhatIsRead() {
        Tries.check(TRIES, Typed::generate, typed -> {
            if (typed.duplicate() != null) {
                UsageException e = assertThrows(UsageException.class, () -> parser.parse(typed.text()));
                assertTrue(e.getMessage().contains("--" + typed.duplicate()), "the refusal names the flag: " + e.getMessage());
                return;
            }
            try {
                Invocation inv = parser.parse(typed.text());
                assertEquals(typed.verb(), inv.verb(), "verb");
                assertEquals(typed.args(), inv.args(), "arguments");
                assertEquals(typed.flags(), inv.flags(), "flags");
            } catch (UsageException e) {
                fail("refused a well-formed command: " + e.getMessage());
            }
        });
    }

    /** Text as it reaches the parser: words people type, mangled, or any characters at all. */
    private static String typed(Random r) {
        int roll = r.nextInt(10);
        if (roll < 4) return RandomText.any(r, 1_100);
        StringBuilder out = new StringBuilder();
        int words = r.nextInt(7);
        for (int i = 0; i < words; i++) {
            if (i > 0 || r.nextInt(4) == 0) out.append(RandomText.pick(r, SPACES));
            out.append(r.nextBoolean() ? RandomText.pick(r, WORDS) : RandomText.any(r, 12));
        }
        return roll < 8 ? out.toString() : RandomText.mutate(r, out.toString());
    }

    /** A command written out with quoting where a word needs it; {@code duplicate} names a flag given twice, if one is. */
    record Typed(String text, String verb, List<String> args, Map<String, String> flags, String duplicate) {
        static Typed generate(Random r) {
            String verb = RandomText.name(r, 12);
            List<String> args = new ArrayList<>();
            Map<String, String> flags = new LinkedHashMap<>();
            StringBuilder text = new StringBuilder(r.nextBoolean() ? verb : verb.toUpperCase(Locale.ROOT));
            int words = r.nextInt(6);
            String duplicate = null;
            for (int i = 0; i < words; i++) {
                text.append(RandomText.pick(r, SPACES));
                if (r.nextInt(3) == 0) {
                    String name = RandomText.name(r, 8);
                    boolean again = flags.containsKey(name);
                    String value = r.nextInt(3) == 0 ? "" : word(r);
                    if (r.nextBoolean()) {
                        text.append("--").append(name).append('=').append(value.isEmpty() ? "" : quoted(r, value));
                    } else if (value.isEmpty()) {
                        // A switch: the last word, or followed by another flag.
                        text.append("--").append(name);
                        if (i + 1 < words) {
                            String next = RandomText.name(r, 8);
                            again |= next.equals(name);
                            if (flags.containsKey(next) && duplicate == null) duplicate = next;
                            text.append(' ').append("--").append(next).append("=x");
                            flags.putIfAbsent(next, "x");
                        }
                    } else {
                        text.append("--").append(name).append(' ').append(quoted(r, value));
                    }
                    if (again && duplicate == null) duplicate = name;
                    flags.putIfAbsent(name, value);
                } else {
                    String arg = word(r);
                    args.add(arg);
                    text.append(quoted(r, arg));
                }
            }
            if (r.nextBoolean()) text.append(RandomText.pick(r, SPACES));
            return new Typed(text.toString(), verb, args, flags, duplicate);
        }

        /** A value: plain, with spaces, empty, or unusual characters; never a quote or a leading "--". */
        private static String word(Random r) {
            String w = switch (r.nextInt(4)) {
                case 0 -> RandomText.name(r, 10);
                case 1 -> "sha-" + Long.toHexString(r.nextLong());
                case 2 -> RandomText.name(r, 6) + " " + RandomText.name(r, 6);
                default -> RandomText.any(r, 10);
            };
            w = w.replaceAll("[\"'\u201c\u201d]", "x");
            return w.startsWith("--") ? "x" + w : w;
        }

        /** The word as typed: bare where it can be, else in quotes of one of the three kinds. */
        private static String quoted(Random r, String word) {
            boolean needs = word.isEmpty() || word.codePoints().anyMatch(Character::isWhitespace);
            if (!needs && r.nextInt(4) != 0) return word;
            return switch (r.nextInt(3)) {
                case 0 -> "\"" + word + "\"";
                case 1 -> "'" + word + "'";
                default -> "\u201c" + word + "\u201d";
            };
        }
    }
}
