package dev.opsbot.core.engine;

/** Told when a run ends (the bot uses it to offer a rollback after a failed deploy). */
@FunctionalInterface
public interface RunListener {
    void finished(RunResult result);
}
