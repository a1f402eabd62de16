package dev.opsbot.core.runbook;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;

/**
 * The file system's own signal that a folder's entries were created, changed or removed
 * (inotify on Linux), so a reader learns of an edit without listing the folder. Watching starts
 * on the first question; where it cannot (a folder that is not there yet, a file system without
 * signals) it is tried again at most once a second, and the reader keeps looking for itself.
 */
final class FolderWatch implements AutoCloseable {
    private static final long RETRY_NANOS = Duration.ofSeconds(1).toNanos();

    private final Path folder;
    private WatchService service;
    private WatchKey key;
    private long lastAttempt;
    private boolean closed;

    FolderWatch(Path folder) {
        this.folder = folder;
    }

    /**
     * Whether the folder may have changed since the last call: it signalled a change, or watching
     * just began (what happened before is unknown). False when nothing was signalled, and while
     * no signal can be had.
     */
    synchronized boolean changed() {
        if (key == null) return startWatching();
        boolean changed = !key.pollEvents().isEmpty();
        if (!key.reset()) {
            // The folder went away or was replaced: watch whatever is there next.
            key = null;
            return true;
        }
        return changed;
    }

    private boolean startWatching() {
        long now = System.nanoTime();
        if (closed || lastAttempt != 0 && now - lastAttempt < RETRY_NANOS) return false;
        lastAttempt = now;
        try {
            if (service == null) service = FileSystems.getDefault().newWatchService();
            key = folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        key = null;
        if (service == null) return;
        try {
            service.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        service = null;
    }
}
