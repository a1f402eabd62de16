package dev.opsbot.core.runbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbooks of one folder. {@link #refresh()} re-reads the folder when any file changed (a
 * listing and modification times), so edits take effect without a restart; commands ask
 * {@link #refreshWhenChanged()}, which reads it again at once when the file system signals an
 * edit and otherwise lists it at most once a second. A malformed file is reported (file and line,
 * in the log and in {@link #problems()}); the valid ones stay served, and so does the last good
 * version of a file that was valid before, until it is fixed or removed: a typo saved during an
 * incident must not take {@code deploy} away.
 */
public final class RunbookCatalog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunbookCatalog.class);
    private static final long LOOK_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private final Path folder;
    private final FolderWatch watch;
    private volatile long lastLook = System.nanoTime() - LOOK_EVERY_NANOS;
    private final RunbookLoader loader = new RunbookLoader();
    private volatile Map<String, Runbook> runbooks = Map.of();
    private volatile List<RunbookException> problems = List.of();
    private volatile Map<Path, FileTime> seen = Map.of();
    /** The last version of each file that loaded, served while a later version of it is broken. */
    private volatile Map<Path, Runbook> lastGood = Map.of();
    private volatile Map<String, RunbookException> servedFromLastGood = Map.of();
    private final UnaryOperator<Runbook> adjust;

    public RunbookCatalog(Path folder) {
        this(folder, UnaryOperator.identity());
    }

    /** A catalog whose runbooks pass {@code adjust} as they are loaded (an environment's own rules). */
    public RunbookCatalog(Path folder, UnaryOperator<Runbook> adjust) {
        this.folder = folder;
        this.adjust = adjust;
        this.watch = new FolderWatch(folder);
    }

    /** Re-reads the folder if anything in it changed; returns true when it did. */
    public boolean refresh() {
        return load(false);
    }

    /**
     * Re-reads the folder when the file system signalled an edit (whatever the files' times say:
     * a file written twice within one tick of the clock keeps its time), or when it was last
     * looked at a second ago or more and its listing changed. What one command costs, instead of
     * a listing of the folder.
     */
    public boolean refreshWhenChanged() {
        if (watch.changed()) return load(true);
        if (System.nanoTime() - lastLook < LOOK_EVERY_NANOS) return false;
        return load(false);
    }

    private synchronized boolean load(boolean always) {
        lastLook = System.nanoTime();
        Map<Path, FileTime> now = listing();
        if (!always && now.equals(seen)) return false;
        Map<String, Runbook> loaded = new TreeMap<>();
        List<RunbookException> found = new ArrayList<>();
        Map<Path, Runbook> good = new HashMap<>();
        Map<String, RunbookException> stale = new TreeMap<>();
        for (Path file : now.keySet()) {
            Runbook r;
            try {
                r = adjust.apply(loader.load(file));
                good.put(file, r);
            } catch (RunbookException e) {
                found.add(e);
                r = lastGood.get(file);
                boolean isNew = problems.stream().noneMatch(p -> p.getMessage().equals(e.getMessage()));
                if (r == null) {
                    if (isNew) LOG.warn("runbook not loaded: {}", e.getMessage());
                    continue;
                }
                good.put(file, r);
                stale.put(r.name(), e);
                if (isNew) LOG.warn("runbook broken: {}; its last good version stays served until it is fixed", e.getMessage());
            }
            Runbook clash = loaded.putIfAbsent(r.name(), r);
            if (clash != null) {
                found.add(new RunbookException(file, 1, "name '" + r.name() + "' is already used by " + clash.file().getFileName()));
            }
        }
        runbooks = Collections.unmodifiableMap(loaded);
        problems = List.copyOf(found);
        lastGood = Map.copyOf(good);
        servedFromLastGood = Map.copyOf(stale);
        seen = now;
        return true;
    }

    /** When {@code name} is served from the last good version of its file: what is wrong with the file now. */
    public Optional<RunbookException> brokenSince(String name) {
        return Optional.ofNullable(servedFromLastGood.get(name));
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

    /** Stops watching the folder. */
    @Override
    public void close() {
        watch.close();
    }
}
