package dev.opsbot.core.store;

/** Where a run stands. INTERRUPTED is set at start-up for runs a crash left RUNNING. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED, INTERRUPTED;

    public boolean finished() {
        return this != RUNNING;
    }
}
