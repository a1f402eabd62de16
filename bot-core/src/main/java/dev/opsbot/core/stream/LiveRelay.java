package dev.opsbot.core.stream;

import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path step output takes to the channel. Complete lines are redacted, written whole to
 * the run's log file (nothing is dropped, whatever the rate), and the tail that fits the
 * platform's limit is shown in the live message, updated at most once per the adapter's
 * interval. Slow or rate-limited updates only coalesce more output into the next one.
 *
 * <p>Lines are redacted in batches (up to {@value #BATCH_CHARS} characters, and whatever has
 * arrived at each tick and at the end), never later than the next update: a flood of output
 * costs one look at the secrets per batch instead of one per line, and the secrets applied are
 * those known when the batch is written, never older than when its lines arrived.
 */
public final class LiveRelay implements OutputSink {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRelay.class);
    static final int BATCH_CHARS = 16 * 1024;

    private final ChatPort port;
    private final MessageRef live;
    private final ChatLimits limits;
    private final UnaryOperator<String> redactor;
    private final Function<String, Message> render;
    private final BufferedWriter log;
    private final Path logFile;
    private final ScheduledFuture<?> ticker;
    private final Object sending = new Object();

    // Builders are replaced rather than cleared: one that held a non-Latin-1 character (the
    // step markers) would keep every later string it makes twice as wide.
    private StringBuilder partialLine = new StringBuilder();
    private StringBuilder pending = new StringBuilder();
    private final StringBuilder tail = new StringBuilder();
    private boolean dirty;
    private boolean closed;
    private long bytesLogged;
    private String logProblem;
    private long updatesSent;

    /**
     * @param render makes the live message from the current tail of output (the caller adds
     *               title, fields and buttons; it is asked again whenever {@link #touch()} is called)
     */
    public LiveRelay(ChatPort port, MessageRef live, UnaryOperator<String> redactor, Function<String, Message> render,
                     Path logFile, ScheduledExecutorService scheduler) {
        this.port = port;
        this.live = live;
        this.limits = port.limits();
        this.redactor = redactor;
        this.render = render;
        this.logFile = logFile;
        BufferedWriter opened = null;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            opened = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            logLost(e);
        }
        this.log = opened;
        long interval = Math.max(50, limits.minUpdateInterval().toMillis());
        this.ticker = scheduler.scheduleWithFixedDelay(this::flush, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void write(String text) {
        synchronized (this) {
            if (closed) return;
            int start = 0;
            for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
                if (partialLine.length() > 0) {
                    partialLine.append(text, start, nl + 1);
                    pending.append(partialLine);
                    partialLine = new StringBuilder();
                } else {
                    pending.append(text, start, nl + 1);
                }
                start = nl + 1;
            }
            partialLine.append(text, start, text.length());
            // A very long line without a newline still reaches the log, in pieces.
            if (partialLine.length() > 64 * 1024) {
                pending.append(partialLine);
                partialLine = new StringBuilder();
            }
            if (pending.length() >= BATCH_CHARS) drain();
        }
    }

    /** Redacts and writes the complete lines that arrived since the last batch. Holds the lock. */
    private void drain() {
        if (pending.length() == 0) return;
        String batch = pending.toString();
        pending = new StringBuilder(Math.min(BATCH_CHARS * 2, Math.max(256, batch.length())));
        emit(batch);
    }

    private void emit(String complete) {
        String safe = redactor.apply(complete);
        if (logProblem == null) {
            try {
                // Written through at once: a full disk is found while the run goes on, not when it ends.
                log.write(safe);
                log.flush();
                bytesLogged += safe.length();
            } catch (IOException e) {
                logLost(e);
            }
        }
        tail.append(safe);
        int keep = limits.maxCodeChars();
        // keep one character more than fits, so the view knows it was cut
        if (tail.length() > keep * 2) tail.delete(0, tail.length() - keep - 1);
        dirty = true;
    }

    /**
     * The log file cannot be written (a full disk, most often): the run goes on, the live message
     * says so on top of its output from the next update on, and the file is not tried again for this run.
     */
    private void logLost(IOException e) {
        logProblem = "the run log " + logFile.getFileName() + " cannot be written (" + reason(e) + ")";
        LOG.warn("{}: {}", logProblem, logFile);
        dirty = true;
    }

    private static String reason(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return e instanceof NoSuchFileException || e instanceof AccessDeniedException ? e.getClass().getSimpleName() + ": " + m : m;
    }

    /** Why the log file is incomplete, when it is. */
    public synchronized Optional<String> logProblem() {
        return Optional.ofNullable(logProblem);
    }

    /** Asks for the live message to be re-rendered at the next tick (title or fields changed). */
    public synchronized void touch() {
        dirty = true;
    }

    /** The output tail as the live message shows it: the last lines that fit the platform's limit. */
    public synchronized String visibleTail() {
        drain();
        // Kept on top, where later output cannot push it out: the file does not have what scrolls away.
        String note = logProblem == null ? "" : "⚠ " + logProblem + ": this output is shown here only, not kept\n";
        return note + visibleOutput(limits.maxCodeChars() - note.length());
    }

    private String visibleOutput(int max) {
        String all = tail.toString() + redactor.apply(partialLine.toString());
        if (all.length() <= max) return stripEnd(all);
        String cut = all.substring(all.length() - (max - 2));
        int nl = cut.indexOf('\n');
        if (nl >= 0 && nl < cut.length() - 1) cut = cut.substring(nl + 1);
        return "…\n" + stripEnd(cut);
    }

    private static String stripEnd(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\n') end--;
        return s.substring(0, end);
    }

    /**
     * Sends the live message now if anything changed since the last update. One flush at a time
     * (the ticker's and the run's own): an update slowed by a platform's errors must not land
     * after a newer one and leave the message showing older content.
     */
    public void flush() {
        synchronized (sending) {
            String shown;
            synchronized (this) {
                drain();
                if (!dirty) return;
                dirty = false;
                shown = visibleTail();
            }
            try {
                port.update(live, render.apply(shown));
                synchronized (this) {
                    updatesSent++;
                }
            } catch (RuntimeException e) {
                // The next tick tries again with whatever has accumulated; the log file has everything.
                synchronized (this) {
                    dirty = true;
                }
                LOG.warn("live update of {} failed: {}", live, e.getMessage());
            }
        }
    }

    public synchronized long updatesSent() {
        return updatesSent;
    }

    public synchronized long charactersLogged() {
        drain();
        return bytesLogged;
    }

    public Path logFile() {
        return logFile;
    }

    /** Stops the ticker, writes what is pending, and sends a last update; returns the full log. */
    public Path finish() {
        ticker.cancel(false);
        synchronized (this) {
            if (!closed) {
                pending.append(partialLine);
                partialLine = new StringBuilder();
                drain();
                closed = true;
                if (log != null) {
                    try {
                        log.close();
                    } catch (IOException e) {
                        if (logProblem == null) logLost(e);
                    }
                }
                dirty = true;
            }
        }
        // The last state must arrive: retry a failing update a few times, pacing as the platform asks.
        long pause = Math.max(50, limits.minUpdateInterval().toMillis());
        for (int attempt = 0; attempt < 10; attempt++) {
            flush();
            synchronized (this) {
                if (!dirty) break;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pause = Math.min(pause * 2, 5_000);
        }
        return logFile;
    }
}
