package dev.opsbot.core.access;

import dev.opsbot.core.failure.RefusedException;

/** The person may not do this (role, channel, rate, lock); the message says why and what would work. */
public class AccessDeniedException extends RefusedException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
