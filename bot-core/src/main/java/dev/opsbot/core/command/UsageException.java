package dev.opsbot.core.command;

import dev.opsbot.core.failure.RefusedException;

/** The person typed something the bot cannot accept; the message says what and how to fix it. */
public class UsageException extends RefusedException {
    private final String usage;

    public UsageException(String message, String usage) {
        super(message);
        this.usage = usage == null ? "" : usage;
    }

    /** The usage line to show with the message ("" where none applies). */
    public String usage() {
        return usage;
    }
}
