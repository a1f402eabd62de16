package dev.opsbot.app.replicas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Somebody typing {@code /ops help} every {@code every} while a test does something else (kills
 * a replica): each command from a different person, so that no rate limit refuses one. A
 * command counts as answered when its answer reached its response URL.
 */
final class CommandStream implements AutoCloseable {
    /** One command sent: what was typed and when. */
    record Sent(SlackChat.Typed typed, long atNanos) { }

    private final SlackChat chat;
    private final Duration every;
    private final List<Sent> sent = new ArrayList<>();
    private final ReentrantLock sending = new ReentrantLock();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Throwable failure;

    CommandStream(SlackChat chat, Duration every) {
        this.chat = chat;
        this.every = every;
        this.thread = new Thread(this::loop, "command-stream");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        int n = 0;
        try {
            while (!stopped) {
                sending.lock();
                try {
                    n++;
                    SlackChat.Typed typed = chat.type(new SlackChat.Person("U0PING" + n, "ping" + n), SlackChat.OPS, "help");
                    synchronized (sent) {
                        sent.add(new Sent(typed, System.nanoTime()));
                    }
                } finally {
                    sending.unlock();
                }
                Thread.sleep(every.toMillis());
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException | AssertionError e) {
            failure = e;
        }
    }

    /**
     * Runs {@code action} (a kill) while no command of the stream is in flight: the last one sent
     * was answered and the next waits. A command one replica acknowledged and then died before
     * answering is lost on every platform; the bench counts those, this stream asserts the rest.
     */
    void betweenCommands(Duration timeout, ThrowingRunnable action) throws Exception {
        sending.lock();
        try {
            Sent last;
            synchronized (sent) {
                last = sent.isEmpty() ? null : sent.get(sent.size() - 1);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (last != null && !chat.answered(last.typed())) {
                if (System.nanoTime() > deadline) throw new AssertionError("a command of the stream was not answered within " + timeout);
                Thread.sleep(20);
            }
            action.run();
        } finally {
            sending.unlock();
        }
    }

    /** How many were sent so far. */
    int count() {
        synchronized (sent) {
            return sent.size();
        }
    }

    /** Stops sending and waits up to {@code within} for every command's answer; those still without one. */
    List<Sent> unanswered(Duration within) throws InterruptedException {
        close();
        if (failure != null) throw new AssertionError("the command stream failed", failure);
        long deadline = System.nanoTime() + within.toNanos();
        List<Sent> missing;
        do {
            synchronized (sent) {
                missing = sent.stream().filter(s -> !chat.answered(s.typed())).toList();
            }
            if (missing.isEmpty()) return missing;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return missing;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(5000);
    }

    /** An action that may throw, such as a kill. */
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
