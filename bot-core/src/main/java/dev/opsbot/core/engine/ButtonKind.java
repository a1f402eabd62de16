package dev.opsbot.core.engine;

/** What pressing a button does; stored with the button's state. */
public enum ButtonKind {
    /** Confirm (or cancel) a mutating run; the payload is a {@link RunTicket}. */
    CONFIRM,
    /** Answer a question a running step asked; the payload is "runId:option". */
    CHOICE,
    /** Type a command as the presser (e.g. "rollback sha-abc1234"); the payload is the command text. */
    INVOKE
}
