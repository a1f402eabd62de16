package dev.opsbot.core.failure;

/**
 * The bot refused a request before changing anything: it was typed wrong (answered with the
 * usage line) or the person may not do it now (answered with the reason and what would work).
 */
public abstract class RefusedException extends OpsbotException {
    protected RefusedException(String message) {
        super(message);
    }
}
