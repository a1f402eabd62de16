package dev.opsbot.core.runbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The runbooks of one folder. {@link #refresh()} re-reads the folder when any file changed
 * (cheap: a listing and modification times), so edits take effect without a restart. A
 * malformed file is reported and skipped; the valid ones stay served.
 */
public final class RunbookCatalog {
    private final Path folder;
    private final RunbookLoader loader = new RunbookLoader();
    private volatile Map<String, Runbook> runbooks = Map.of();
    private volatile List<RunbookException> problems = List.of();
    private volatile Map<Path, FileTime> seen = Map.of();
    private final UnaryOperator<Runbook> adjust;

    public RunbookCatalog(Path folder) {
        this(folder, UnaryOperator.identity());
    }

    /** A catalog whose runbooks pass {@code adjust} as they are loaded (an environment's own rules). */
    public RunbookCatalog(Path folder, UnaryOperator<Runbook> adjust) {
        this.folder = folder;
        this.adjust = adjust;
    }

    /** Re-reads the folder if anything in it changed; returns true when it did. */
    public synchronized boolean refresh() {
        Map<Path, FileTime> now = listing();
        if (now.equals(seen)) return false;
        Map<String, Runbook> loaded = new TreeMap<>();
        List<RunbookException> found = new ArrayList<>();
        for (Path file : now.keySet()) {
            try {
                Runbook r = adjust.apply(loader.load(file));
                Runbook clash = loaded.putIfAbsent(r.name(), r);
                if (clash != null) {
                    found.add(new RunbookException(file, 1, "name '" + r.name() + "' is already used by " + clash.file().getFileName()));
                }
            } catch (RunbookException e) {
                found.add(e);
            }
        }
        runbooks = Collections.unmodifiableMap(loaded);
        problems = List.copyOf(found);
        seen = now;
        return true;
    }

    private Map<Path, FileTime> listing() {
        Map<Path, FileTime> files = new TreeMap<>();
        if (!Files.isDirectory(folder)) return files;
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : list.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).toList()) {
                files.put(p, Files.getLastModifiedTime(p));
            }
        } catch (IOException e) {
            // an unreadable folder serves what was loaded before
            return seen;
        }
        return files;
    }

    public Optional<Runbook> find(String name) {
        return Optional.ofNullable(runbooks.get(name));
    }

    public Map<String, Runbook> all() {
        return runbooks;
    }

    public List<RunbookException> problems() {
        return problems;
    }

    public Path folder() {
        return folder;
    }
}
