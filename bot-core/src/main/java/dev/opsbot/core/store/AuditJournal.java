package dev.opsbot.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Audit rows written to a file of one trail's own before they are in the database: one line per
 * row, appended with one write, which a killed process does not undo (the same guarantee as an
 * H2 commit, which is not forced to the disk either). The file is locked while its trail is open;
 * a file nobody holds was left by a process that ended without moving its rows into the table,
 * and the next open moves them ({@link #leftBehind}).
 */
final class AuditJournal implements AutoCloseable {
    private static final String SUFFIX = ".journal";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private AuditJournal(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** A new journal of its own in {@code dir}, locked until it is closed. */
    static AuditJournal create(Path dir) {
        Path file = dir.resolve(UUID.randomUUID() + SUFFIX);
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new AuditJournal(file, channel, channel.lock());
        } catch (IOException e) {
            throw new StoreException("cannot write the audit journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Appends one row; it is in the file when this returns. */
    void write(AuditRow r) {
        String line = r.at().toEpochMilli() + "\t" + escape(r.actor()) + "\t" + escape(r.place()) + "\t" + escape(r.action())
                + "\t" + escape(r.detail()) + "\t" + escape(r.outcome()) + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) channel.write(bytes);
        } catch (IOException ex) {
            throw new StoreException("cannot write the audit journal " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** Every row written is in the table now. */
    void clear() {
        try {
            channel.truncate(0);
        } catch (IOException e) {
            throw new StoreException("cannot empty the audit journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** Closes the journal; an empty one is removed, one with rows stays for the next open. */
    @Override
    public void close() {
        try {
            boolean empty = channel.size() == 0;
            lock.release();
            channel.close();
            if (empty) Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StoreException("cannot close the audit journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** A journal a process left with rows in it, and how to remove it once they are in the table. */
    record LeftBehind(Path file, List<AuditRow> rows) {
        void remove() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new StoreException("cannot remove the audit journal " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The journals in {@code dir} that no open trail holds. A line without its end
     * (the process died while writing it) is not read: its append never returned.
     */
    static List<LeftBehind> leftBehind(Path dir) {
        List<LeftBehind> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) return found;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                if (held(file)) continue;
                found.add(new LeftBehind(file, read(file)));
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the audit journals in " + dir + ": " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * Whether a trail of this process still writes the file. Only this process can have the
     * database open (H2 locks its file), so only its own trails can hold a journal; the JVM's
     * table of locks answers for them, whatever closing this probe does to the operating
     * system's lock.
     */
    private static boolean held(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) return true;
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    private static List<AuditRow> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<AuditRow> rows = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
            String[] f = text.substring(start, end).split("\t", -1);
            if (f.length != 6 || !isMillis(f[0])) throw notARow(file, rows.size() + 1);
            rows.add(new AuditRow(Instant.ofEpochMilli(Long.parseLong(f[0])), unescape(f[1]), unescape(f[2]), unescape(f[3]),
                    unescape(f[4]), unescape(f[5])));
        }
        return rows;
    }

    private static boolean isMillis(String s) {
        if (s.isEmpty() || s.length() > 18) return false;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    /**
     * Nothing is moved from a journal with a line that is not a row (its file was edited or
     * damaged): starting would hide audited rows. What to do is said with it.
     */
    private static StoreException notARow(Path file, int line) {
        return new StoreException("line " + line + " of the audit journal " + file + " is not an audit row, so its rows "
                + "cannot be moved into the trail. Move the file out of " + file.getParent() + " (keep it: the rows "
                + "it holds were audited and are not in the trail yet) and start again; then 'opsbot audit verify' "
                + "checks the trail.", null);
    }

    /** Tabs and line ends inside a field would end it: they are written as \t, \n and \r, a backslash as \\. */
    static String escape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            b.append(switch (n) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> n;
            });
        }
        return b.toString();
    }
}
