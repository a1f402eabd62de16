package dev.opsbot.core.compose;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * A file's bytes as read at one moment (or that it was missing), and a cheap way to tell whether
 * the file still holds them. One look at the file system (size and modification time) answers
 * while the modification time is old enough; while it is recent, the bytes are compared, because
 * a second write within the same tick of the file system's clock keeps the time and often the
 * size (a pin rewrites a tag of the same length in the compose file, a rotation a value of the
 * same length in the .env, milliseconds apart). A time set back by hand to exactly the old one,
 * with the same size, goes unnoticed, as with any tool that trusts modification times.
 */
public final class FileSnapshot {
    /** Longer than any file system's clock tick (FAT's is two seconds); a file unchanged for this long is settled. */
    static final long SETTLED_MILLIS = 3000;
    private static final long MISSING = Long.MIN_VALUE;

    private final Path file;
    private final byte[] bytes;
    /** Why an existing file could not be read; null when it was read or is missing. */
    private final String unreadable;
    private final long size;
    private final long modified;
    /** When the bytes were last known to be the file's; stat-only checks are trusted once the file is older than this by a margin. */
    private volatile long confirmedAt;

    private FileSnapshot(Path file, byte[] bytes, String unreadable, long size, long modified, long confirmedAt) {
        this.file = file;
        this.bytes = bytes;
        this.unreadable = unreadable;
        this.size = size;
        this.modified = modified;
        this.confirmedAt = confirmedAt;
    }

    /**
     * Reads the file now. A missing file is a snapshot too (it changes when the file appears), and
     * so is one that cannot be read (it changes when the file does).
     */
    public static FileSnapshot read(Path file) {
        for (int attempt = 0; ; attempt++) {
            long readAt = System.currentTimeMillis();
            long[] before = stat(file, false);
            if (before[1] == MISSING) return new FileSnapshot(file, null, null, 0, MISSING, readAt);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                return new FileSnapshot(file, null, String.valueOf(e.getMessage()), before[0], before[1], readAt);
            }
            long[] after = stat(file, true);
            // Written while being read: read again, so the bytes belong to the time and size kept.
            if (Arrays.equals(before, after) || attempt >= 3) return new FileSnapshot(file, bytes, null, after[0], after[1], readAt);
        }
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return modified != MISSING;
    }

    /** The content as UTF-8; a missing or unreadable file is a {@link ComposeException} saying so. */
    public String text() {
        if (bytes != null) return new String(bytes, StandardCharsets.UTF_8);
        throw new ComposeException("cannot read " + file + ": " + (unreadable != null ? unreadable : "it does not exist"));
    }

    /**
     * Whether the file holds what was read: it is still missing, it has the same bytes, or (when
     * it could not be read) its time and size are the same.
     */
    public boolean current() {
        long[] now = stat(file, exists());
        if (now[1] != modified || now[0] != size) return false;
        if (bytes == null) return true;
        long checked = System.currentTimeMillis();
        if (modified < confirmedAt - SETTLED_MILLIS) return true;
        byte[] again;
        try {
            again = Files.readAllBytes(file);
        } catch (IOException e) {
            return false;
        }
        if (!Arrays.equals(again, bytes)) return false;
        // Any later write gets a later time than this one's (by more than a tick): once the file is
        // older than the margin, a look at its time and size is enough.
        confirmedAt = checked;
        return true;
    }

    /**
     * Size and modification time in milliseconds, {@code MISSING} as the time when there is no
     * file. A file thought to exist is read with one attribute read; one thought missing with
     * {@link File#lastModified()}, which says 0 instead of failing (and {@link File#exists()} for
     * the rare file dated 0), so the common missing {@code .env.previous} costs no exception.
     */
    private static long[] stat(Path file, boolean expected) {
        if (!expected) {
            File f = file.toFile();
            if (f.lastModified() == 0L && !f.exists()) return new long[] {0, MISSING};
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) return new long[] {0, MISSING};
            return new long[] {a.size(), a.lastModifiedTime().toMillis()};
        } catch (IOException e) {
            return new long[] {0, MISSING};
        }
    }
}
