package dev.opsbot.core.access;

/** The person may not do this (role, channel, rate, lock); the message says why and what would work. */
public class AccessDeniedException extends RuntimeException {
    public AccessDeniedException(String message) {
        super(message);
    }
}
