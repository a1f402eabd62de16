package dev.opsbot.core.secrets;

import dev.opsbot.core.compose.ComposeException;
import dev.opsbot.core.compose.EnvFile;
import dev.opsbot.core.compose.FileSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The secret values of a stack's {@code .env} files (and their {@code .env.previous} copies),
 * re-read when a file changes, for the {@link Redactor}. Every value counts as secret: a port
 * number is too short to be masked, a key never is. Values seen since the bot started stay
 * masked after they left both files (a value two rotations old is still a secret to someone).
 */
public final class EnvSecrets implements Supplier<Collection<String>> {
    private static final int MAX_REMEMBERED = 1000;
    private final List<Path> files;
    private final List<Path> current;
    /** What each file held when last read, in the order of {@link #files}; null before the first read. */
    private volatile List<FileSnapshot> read;
    private volatile Set<String> values = Set.of();
    private volatile Map<String, String> named = Map.of();
    private final Set<String> remembered = new LinkedHashSet<>();

    public EnvSecrets(List<Path> files) {
        List<Path> all = new ArrayList<>();
        for (Path f : files) {
            all.add(f);
            all.add(f.resolveSibling(f.getFileName() + ".previous"));
        }
        this.files = List.copyOf(all);
        this.current = List.copyOf(files);
    }

    /** The values; the same collection until a file changes. */
    @Override
    public Collection<String> get() {
        refresh();
        return values;
    }

    /** The current value of each variable of the {@code .env} files (not the previous copies), by name. */
    public Map<String, String> current() {
        refresh();
        return named;
    }

    private void refresh() {
        // Asked for every message and line of output: one attribute read per file while nothing changed.
        if (unchanged(read)) return;
        synchronized (this) {
            if (unchanged(read)) return;
            List<FileSnapshot> now = new ArrayList<>(files.size());
            Map<String, String> byName = new LinkedHashMap<>();
            for (Path f : files) {
                FileSnapshot s = FileSnapshot.read(f);
                now.add(s);
                if (!s.exists()) continue;
                try {
                    Map<String, String> values = EnvFile.parse(s.text());
                    remembered.addAll(values.values());
                    if (current.contains(f)) byName.putAll(values);
                } catch (ComposeException ignored) {
                    // an unreadable file hides nothing new; the values seen before stay masked
                }
            }
            while (remembered.size() > MAX_REMEMBERED) remembered.remove(remembered.iterator().next());
            values = Set.copyOf(remembered);
            named = Map.copyOf(byName);
            read = List.copyOf(now);
        }
    }

    private static boolean unchanged(List<FileSnapshot> snapshots) {
        if (snapshots == null) return false;
        for (FileSnapshot s : snapshots) {
            if (!s.current()) return false;
        }
        return true;
    }
}
