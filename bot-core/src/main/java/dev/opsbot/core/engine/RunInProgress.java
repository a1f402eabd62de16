package dev.opsbot.core.engine;

/** A mutating run in progress, as the health monitor sees it: which it is, and where what the monitor sees goes. */
public interface RunInProgress {

    long id();

    /** What was typed, "deploy sha-badc0de". */
    String invocation();

    /** Shows a check result of one of the run's services in its message, and keeps it in its outcome. */
    void observed(CheckResult result);
}
