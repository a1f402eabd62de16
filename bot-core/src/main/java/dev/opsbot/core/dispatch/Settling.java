package dev.opsbot.core.dispatch;

import dev.opsbot.core.engine.RunEngine;
import java.time.Duration;

/**
 * Waiting for a bot to be quiet: nothing queued or being handled, and its runs finished, waiting
 * for a person, or stopped. The scripted console reads its next line then; a stopping process
 * closes then.
 */
public final class Settling {
    private static final long BEAT_MILLIS = 20;

    private final Dispatcher dispatcher;
    private final RunEngine engine;

    public Settling(Dispatcher dispatcher, RunEngine engine) {
        this.dispatcher = dispatcher;
        this.engine = engine;
    }

    /** Nothing queued and no run active; false when {@code timeout} passed first. */
    public boolean idle(Duration timeout) throws InterruptedException {
        return quiet(timeout, false);
    }

    /** Nothing queued, and every active run finished or waiting for someone to press a button. */
    public boolean settled(Duration timeout) throws InterruptedException {
        return quiet(timeout, true);
    }

    /** After the bot stopped taking work: what was being handled is done and every run stopped or waits for a person. */
    public boolean stopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!dispatcher.idle()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(BEAT_MILLIS);
        }
        return engine.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private boolean quiet(Duration timeout, boolean answersCount) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (now(answersCount)) {
                // A run that just finished may still be offering a rollback: check once more after a beat.
                Thread.sleep(BEAT_MILLIS);
                if (now(answersCount)) return true;
            }
            Thread.sleep(BEAT_MILLIS);
        }
        return false;
    }

    private boolean now(boolean answersCount) {
        return dispatcher.idle() && (engine.activeRuns().isEmpty() || answersCount && engine.waitingForAnswer());
    }
}
