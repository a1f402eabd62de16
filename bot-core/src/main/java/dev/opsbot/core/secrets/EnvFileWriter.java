package dev.opsbot.core.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets one variable of a dotenv file, changing only that variable's line(s): the new file is
 * written beside the old one with owner-only permissions, synced, and moved over it in one
 * step, so a reader sees the old file or the new one, never half of either. The old file is
 * kept as {@code .env.previous} (owner-only too), for the redactor and for going back by hand.
 * Error messages name the file and the variable, never a value.
 */
public final class EnvFileWriter {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LINE = Pattern.compile("^(\\s*(?:export\\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\\s*=).*$");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_\\-.:/+=@,~%^]*");

    /** What was written: the file, its previous copy, and whether the variable was there before. */
    public record Result(Path file, Path previous, boolean replaced) { }

    public Result set(Path envFile, String key, String value) {
        if (!KEY.matcher(key).matches()) throw new IllegalArgumentException("'" + key + "' is not a variable name");
        String encoded = encode(key, value);
        try {
            byte[] old = Files.exists(envFile) ? Files.readAllBytes(envFile) : new byte[0];
            String text = new String(old, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            boolean endsWithNewline = text.isEmpty() || text.endsWith("\n");
            if (endsWithNewline && !lines.isEmpty()) lines.remove(lines.size() - 1);
            boolean replaced = false;
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = LINE.matcher(lines.get(i));
                if (m.matches() && m.group(2).equals(key)) {
                    boolean crlf = lines.get(i).endsWith("\r");
                    lines.set(i, m.group(1) + key + m.group(3) + encoded + (crlf ? "\r" : ""));
                    replaced = true;
                }
            }
            if (!replaced) lines.add(key + "=" + encoded);
            byte[] updated = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);

            Path previous = envFile.resolveSibling(envFile.getFileName() + ".previous");
            writeAtomically(previous, old);
            writeAtomically(envFile, updated);
            return new Result(envFile, previous, replaced);
        } catch (IOException e) {
            // An IOException names a path, never file content.
            throw new UncheckedIOException("cannot write " + key + " to " + envFile + ": " + e, e);
        }
    }

    /** The value as it must appear after {@code KEY=}: bare when plain, else single-quoted (taken literally). */
    static String encode(String key, String value) {
        if (value.isEmpty()) throw new IllegalArgumentException("the new value of " + key + " is empty");
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the new value of " + key + " has a line break or NUL character");
        }
        if (PLAIN.matcher(value).matches()) return value;
        if (value.indexOf('\'') < 0) return "'" + value + "'";
        throw new IllegalArgumentException("the new value of " + key + " has both a quote and characters that need quoting");
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attrs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            if (posix) Files.setPosixFilePermissions(tmp, OWNER_ONLY);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every file system lets a folder be synced; the move itself is atomic
        }
    }
}
