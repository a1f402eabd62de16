package dev.opsbot.core.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * What a platform allows, declared by its adapter and respected by the core: the longest
 * message text, the longest block of live output inside one message, and the shortest time
 * between two updates of one message.
 */
public record ChatLimits(int maxTextChars, int maxCodeChars, Duration minUpdateInterval) {
    public ChatLimits {
        Objects.requireNonNull(minUpdateInterval, "minUpdateInterval");
        if (maxTextChars < 200 || maxCodeChars < 100) {
            throw new IllegalArgumentException("limits too small to show anything useful");
        }
    }
}
