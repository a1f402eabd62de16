package dev.opsbot.core;

import dev.opsbot.core.engine.Stack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the core needs to know: the stack it operates, where runbooks and run logs live, and
 * how long a confirmation button stays valid.
 */
public record BotSettings(Stack stack, Path runbooks, Path logDir, Duration confirmTimeout, Duration rollbackOfferTimeout) {
    public BotSettings {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(runbooks, "runbooks");
        Objects.requireNonNull(logDir, "logDir");
        confirmTimeout = confirmTimeout == null ? Duration.ofMinutes(10) : confirmTimeout;
        rollbackOfferTimeout = rollbackOfferTimeout == null ? Duration.ofMinutes(30) : rollbackOfferTimeout;
    }
}
