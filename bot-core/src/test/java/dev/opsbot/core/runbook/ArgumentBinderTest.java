package dev.opsbot.core.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.command.CommandParser;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgumentBinderTest {
    private static final List<String> SERVICES = List.of("proxy", "backend", "worker", "web");
    private final RunbookCatalog catalog = new RunbookCatalog(RepoRoot.get().resolve("runbooks"));
    private final ArgumentBinder binder = new ArgumentBinder();

    private Map<String, String> bind(String text) {
        catalog.refresh();
        var inv = new CommandParser().parse(text);
        return binder.bind(catalog.find(inv.verb()).orElseThrow(), inv, () -> SERVICES);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "deploy sha-abc1234              | tag | sha-abc1234",
            "deploy sha-0123456789abcdef0123456789abcdef01234567 | tag | sha-0123456789abcdef0123456789abcdef01234567",
            "deploy 0.1.0                    | tag | 0.1.0",
            "rollback sha-abc1234            | tag | sha-abc1234",
            "restart worker                  | service | worker",
    })
    void acceptsWellFormedArguments(String text, String param, String value) {
        assertEquals(value, bind(text).get(param));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // not hex
            "deploy sha-ZZZ                  | is not an image tag",
            // shell metacharacters never pass the schema
            "'deploy \"sha-abc1234; rm -rf /\"' | is not an image tag",
            "deploy sha-abc1234$(reboot)     | is not an image tag",
            // too short, upper case, v-prefixed
            "deploy sha-abc12                | is not an image tag",
            "deploy sha-ABC1234              | is not an image tag",
            "deploy v0.1.0                   | is not an image tag",
            "deploy                          | Missing <tag>",
            "deploy sha-abc1234 sha-def5678  | Too many arguments",
            "deploy sha-abc1234 --force      | Unknown option --force",
            "restart backnd                  | Did you mean backend?",
            "restart database                | There is no service 'database'",
    })
    void refusesAnythingOutsideTheSchema(String text, String expected) {
        UsageException e = assertThrows(UsageException.class, () -> bind(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.usage().startsWith("/ops "), "a usage line comes with the refusal");
    }

    @Test
    void numbersAndEnumsAreChecked(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("scale.yml"), """
                name: scale
                summary: test
                params:
                  - {name: mode, kind: enum, values: [fast, safe]}
                  - {name: count, kind: int, min: 1, max: 5, flag: true, default: "1"}
                steps:
                  - ps: {}
                """);
        RunbookCatalog c = new RunbookCatalog(dir);
        c.refresh();
        Runbook r = c.find("scale").orElseThrow();
        var p = new CommandParser();
        assertEquals(Map.of("mode", "fast", "count", "1"), binder.bind(r, p.parse("scale fast"), () -> SERVICES));
        assertEquals("3", binder.bind(r, p.parse("scale safe --count 3"), () -> SERVICES).get("count"));
        assertTrue(assertThrows(UsageException.class, () -> binder.bind(r, p.parse("scale slow"), () -> SERVICES))
                .getMessage().contains("one of fast, safe"));
        assertTrue(assertThrows(UsageException.class, () -> binder.bind(r, p.parse("scale fast --count 9"), () -> SERVICES))
                .getMessage().contains("between 1 and 5"));
        // Digits of other scripts are refused (Integer.parseInt reads them), and a number reaches the steps as a number.
        assertTrue(assertThrows(UsageException.class, () -> binder.bind(r, p.parse("scale fast --count \u0663"), () -> SERVICES))
                .getMessage().contains("--count must be a whole number"));
        assertEquals("4", binder.bind(r, p.parse("scale fast --count +4"), () -> SERVICES).get("count"));
        assertEquals("4", binder.bind(r, p.parse("scale fast --count 004"), () -> SERVICES).get("count"));
    }
}
