package dev.opsbot.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandParserTest {
    private final CommandParser parser = new CommandParser();

    @Test
    void splitsVerbArgumentsAndFlags() {
        Invocation inv = parser.parse("logs backend --tail 20");
        assertEquals("logs", inv.verb());
        assertEquals(List.of("backend"), inv.args());
        assertEquals(Map.of("tail", "20"), inv.flags());
    }

    @Test
    void quotedWordsStayOneArgumentAndAreNeverInterpreted() {
        Invocation inv = parser.parse("deploy \"sha-abc1234; rm -rf /\"");
        assertEquals(List.of("sha-abc1234; rm -rf /"), inv.args());
    }

    @Test
    void flagFormsAndSwitches() {
        Invocation inv = parser.parse("unlock --force --reason=stuck");
        assertEquals(Map.of("force", "", "reason", "stuck"), inv.flags());
    }

    @Test
    void verbIsCaseInsensitive() {
        assertEquals("deploy", parser.parse("DEPLOY sha-abc1234").verb());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "''                      | Type a command",
            "'deploy \"sha-abc'      | quote is not closed",
            "'/deploy x'             | without a second slash",
            "'logs a --tail 1 --tail 2' | given twice",
            "'\"\" deploy sha-abc1234' | not an empty quote",
            "'logs backend --=20'    | names no option: write --name",
    })
    void badInputGetsAClearMessage(String text, String expected) {
        UsageException e = assertThrows(UsageException.class, () -> parser.parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void suggestionsFindCloseVerbs() {
        assertEquals("deploy", Suggestions.closest("deplyo", List.of("deploy", "rollback", "health")).orElseThrow());
        assertEquals("rollback", Suggestions.closest("rollbak", List.of("deploy", "rollback", "health")).orElseThrow());
        assertTrue(Suggestions.closest("xyzzy", List.of("deploy", "rollback")).isEmpty());
    }
}
