package dev.opsbot.core.store;

import dev.opsbot.core.failure.OperationFailedException;

/** The database failed; the bot reports it and keeps serving what it can. */
public class StoreException extends OperationFailedException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
