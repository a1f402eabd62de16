package dev.opsbot.core.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A value sealed to a waiting run's key: only that run opens it, only for the form it answers, and nothing of it shows. */
class SealedBoxTest {
    private static final String VALUE = "sk-live-0123456789abcdef-ünïcode";

    @Test
    void theBoxThatMadeTheKeyOpensTheValueForItsFormAndNothingElseDoes() {
        SealedBox waiting = SealedBox.create();
        String sealed = SealedBox.seal(waiting.publicKey(), VALUE, "form-group-1");
        assertFalse(sealed.contains(VALUE) || sealed.contains("sk-live"), sealed);
        assertNotEquals(sealed, SealedBox.seal(waiting.publicKey(), VALUE, "form-group-1"), "a fresh key and nonce each time");
        assertEquals(VALUE, waiting.open(sealed, "form-group-1"));

        assertThrows(IllegalArgumentException.class, () -> waiting.open(sealed, "form-group-2"), "bound to its form");
        assertThrows(IllegalArgumentException.class, () -> SealedBox.create().open(sealed, "form-group-1"), "another key");
        String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
        assertThrows(IllegalArgumentException.class, () -> waiting.open(altered, "form-group-1"), "altered");
        assertThrows(IllegalArgumentException.class, () -> SealedBox.seal("not-a-key", VALUE, "form-group-1"));
    }
}
