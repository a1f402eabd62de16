package dev.opsbot.core.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {

    @Test
    void masksEveryTokenShape() {
        Redactor r = Redactor.shapesOnly();
        for (String token : List.of("xoxb-1234567890-abcdef", "xapp-1-A0123456789", "ghp_abcdefghijklmnopqrstuvwxyz01",
                "gho_ABCDEFGHIJKLMNOPQRSTU", "github_pat_11ABCDEFGHIJKLMNOPQRST_xyz", "sk-abcdefghijklmnop1234",
                "AKIAABCDEFGHIJKLMNOP")) {
            assertEquals("token: [redacted] end", r.apply("token: " + token + " end"), token);
        }
    }

    @Test
    void leavesTextWithoutTokensAsItIs() {
        Redactor r = Redactor.shapesOnly();
        String text = "though the high ghost sighed: gh_ ghx_abc sk- xo AKIA1 xapp github_pat";
        assertEquals(text, r.apply(text));
        assertFalse(Redactor.mayHoldToken("0000001 the quick brown fox jumps over the lazy dog"));
        assertTrue(Redactor.mayHoldToken("a ghs_ b"));
        assertTrue(Redactor.mayHoldToken("ghp_"));
        assertFalse(Redactor.mayHoldToken("ends in gh"));
    }

    @Test
    void masksSecretValuesLongestFirstAndFollowsChanges() {
        AtomicReference<Set<String>> values = new AtomicReference<>(Set.of("hunter22", "hunter22-and-more", "short"));
        Redactor r = new Redactor(values::get);
        assertEquals("a [redacted] b [redacted] c short", r.apply("a hunter22-and-more b hunter22 c short"));
        values.set(Set.of("rotated-secret"));
        assertEquals("x [redacted] y hunter22", r.apply("x rotated-secret y hunter22"));
    }

    @Test
    void configuredPasswordsAreMaskedBesideTheChangingValues() {
        AtomicReference<Set<String>> values = new AtomicReference<>(Set.of("from-the-env-file"));
        Redactor r = new Redactor(values::get, List.of("database-password"));
        assertEquals("[redacted] [redacted]", r.apply("from-the-env-file database-password"));
        values.set(Set.of("rotated-secret"));
        assertEquals("[redacted] [redacted] from-the-env-file", r.apply("rotated-secret database-password from-the-env-file"));
    }

    @Test
    void aSecretRotatedTwiceWithinOneTickOfTheFileClockIsMasked(@TempDir Path dir) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "API_KEY=first-value-1\n");
        Redactor r = new Redactor(new EnvSecrets(List.of(env)));
        assertEquals("[redacted]", r.apply("first-value-1"));
        FileTime written = Files.getLastModifiedTime(env);
        // A value of the same length written with the same modification time: two writes within one tick.
        Files.writeString(env, "API_KEY=second-value2\n");
        Files.setLastModifiedTime(env, written);
        assertEquals("[redacted]", r.apply("second-value2"));
        Files.writeString(dir.resolve(".env.previous"), "API_KEY=first-value-1\n");
        assertEquals("[redacted] [redacted]", r.apply("first-value-1 second-value2"));
    }
}
