package dev.opsbot.core.builtin;

import dev.opsbot.core.chat.Message;

/** The environments a bot serves beside others, for {@code /ops envs}: each with its engine's health at a glance. */
@FunctionalInterface
public interface EnvironmentDirectory {
    Message glance();
}
