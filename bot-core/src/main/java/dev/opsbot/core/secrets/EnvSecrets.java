package dev.opsbot.core.secrets;

import dev.opsbot.core.compose.EnvFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The secret values of a stack's {@code .env} files (and their {@code .env.previous} copies),
 * re-read when a file changes, for the {@link Redactor}. Every value counts as secret: a port
 * number is too short to be masked, a key never is.
 */
public final class EnvSecrets implements Supplier<Collection<String>> {
    private final List<Path> files;
    private volatile List<FileTime> stamps = List.of();
    private volatile Set<String> values = Set.of();

    public EnvSecrets(List<Path> files) {
        List<Path> all = new ArrayList<>();
        for (Path f : files) {
            all.add(f);
            all.add(f.resolveSibling(f.getFileName() + ".previous"));
        }
        this.files = List.copyOf(all);
    }

    @Override
    public Collection<String> get() {
        // Asked for every line of output: one attribute read per file.
        List<FileTime> now = new ArrayList<>(files.size());
        for (Path f : files) {
            try {
                now.add(Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).lastModifiedTime());
            } catch (IOException e) {
                now.add(FileTime.fromMillis(0));
            }
        }
        if (!now.equals(stamps)) {
            synchronized (this) {
                Set<String> read = new LinkedHashSet<>();
                for (Path f : files) {
                    if (Files.isRegularFile(f)) {
                        try {
                            read.addAll(EnvFile.read(f).values());
                        } catch (RuntimeException ignored) {
                            // an unreadable file hides nothing new; the old values stay masked
                            read.addAll(values);
                        }
                    }
                }
                values = Set.copyOf(read);
                stamps = now;
            }
        }
        return values;
    }
}
