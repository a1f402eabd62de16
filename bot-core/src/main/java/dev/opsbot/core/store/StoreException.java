package dev.opsbot.core.store;

/** The database failed; the bot reports it and keeps serving what it can. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
