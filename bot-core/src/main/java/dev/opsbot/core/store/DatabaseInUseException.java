package dev.opsbot.core.store;

/**
 * The H2 file is open in another process: one bot process per data folder (several processes share
 * state through PostgreSQL, not a file). Said as such, with what to do, rather than as H2's lock error.
 */
public final class DatabaseInUseException extends StoreException {
    /** H2's "Database may be already in use": the file's lock is held by another process. */
    static final int H2_ALREADY_OPEN = 90020;

    DatabaseInUseException(String where, Throwable cause) {
        super(where + " is open in another opsbot process (it locks the file while it runs): stop that one first, or give this"
                + " one a data folder of its own (OPSBOT_DATA, or data: in the settings). Several processes share one state"
                + " only through PostgreSQL (docs/high-availability.md).", cause);
    }
}
