package dev.opsbot.discord;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs each task on the thread that hands it over. JDA hands every REST call's outcome to its
 * callback pool (by default the common fork-join pool): one more thread woken per call, before
 * the thread waiting for the answer is. The adapter's callbacks only hand over and return, so
 * JDA's request thread can run them itself.
 */
final class CallerThreadExecutor extends AbstractExecutorService {
    private volatile boolean shutdown;

    /** Runs the task even once shut down: JDA still reports the requests a shutdown cancelled. */
    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    /** Tasks run while they are handed over, so none is left running once shut down. */
    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
