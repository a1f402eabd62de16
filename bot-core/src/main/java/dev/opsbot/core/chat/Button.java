package dev.opsbot.core.chat;

import java.util.Objects;

/**
 * A button. {@code token} is an opaque id of state the core keeps; adapters carry it as the
 * button's value or custom id and hand it back unchanged on a press. It is at most 64 characters.
 */
public record Button(String label, String token, Style style) {
    public enum Style { DEFAULT, PRIMARY, DANGER }

    public Button {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(style, "style");
        if (token.length() > 64) {
            throw new IllegalArgumentException("button token longer than 64 characters");
        }
    }
}
