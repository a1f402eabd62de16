package dev.opsbot.core.engine;

/** What pressing a button does; stored with the button's state. */
public enum ButtonKind {
    /** Confirm (or cancel) a mutating run; the payload is a {@link RunTicket}. */
    CONFIRM,
    /** Answer a question a running step asked; the payload is "runId:option". */
    CHOICE,
    /** Type a command as the presser (e.g. "rollback sha-abc1234"); the payload is the command text. */
    INVOKE,
    /** Approve (or deny) a request that needs approval; the payload is a {@link RunTicket}. */
    APPROVAL,
    /** The modal asking a denier for a reason; the payload is the Deny button's token. */
    DENY_REASON,
    /** Resume or roll back a run a restart interrupted; the payload is a {@link Recovery}. */
    RECOVER,
    /** Acknowledge a health alert; the payload is the alert's id. */
    ACK,
    /** Open the private form for a secret value a run waits for; the payload is "runId:VARIABLE". */
    SECRET_FORM
}
