package dev.opsbot.slack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SlackTextTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
            "plain text           | plain text",
            "a < b > c            | a &lt; b &gt; c",
            "R&D                  | R&amp;D",
            "<@U123> &lt;         | &lt;@U123&gt; &amp;lt;",   // no mention or escape passes through
    })
    void escapesWhatSlackWouldInterpret(String raw, String escaped) {
        assertEquals(escaped, SlackText.escape(raw));
    }

    @ParameterizedTest(name = "{0} within {1} keepTail={2} -> [{3}]")
    @CsvSource(delimiter = '|', value = {
            "abcdef   | 6 | false | abcdef",     // fits: untouched
            "abcdefgh | 6 | false | abcde…",     // head kept, ellipsis counted
            "abcdefgh | 6 | true  | …defgh",     // tail kept for logs
            "ab&cd    | 6 | false | ab…",        // never half an escape: &amp; does not fit
            "ab&cd    | 8 | false | ab&amp;…",
            "ab<cd    | 6 | true  | …cd",
    })
    void cutsAfterEscapingAndNeverInsideAnEscape(String raw, int max, boolean keepTail, String expected) {
        String out = SlackText.escapeWithin(raw, max, keepTail);
        assertEquals(expected, out);
        assertTrue(out.length() <= max);
    }

    @Test
    void neverSplitsASurrogatePair() {
        String rockets = "🚀".repeat(10);
        String out = SlackText.escapeWithin(rockets, 6, false);
        assertEquals("🚀🚀…", out);
        assertEquals("🚀🚀…", SlackText.plainWithin(rockets, 6));
    }
}
