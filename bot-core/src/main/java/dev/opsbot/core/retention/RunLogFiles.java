package dev.opsbot.core.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run logs under the data folder, one file per run ({@code run-<id>.log}, written as the run
 * goes and attached to its message at the end). Only files of that name are ever removed.
 */
final class RunLogFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RunLogFiles.class);
    private static final Pattern RUN_LOG = Pattern.compile("run-[0-9]+\\.log");

    private final Path folder;

    RunLogFiles(Path folder) {
        this.folder = folder;
    }

    /** Removes the run logs last written before {@code cutoff} (a running run's log is written as it goes); returns how many. */
    int lastWrittenBefore(Instant cutoff) throws IOException {
        if (!Files.isDirectory(folder)) return 0;
        List<Path> logs;
        try (Stream<Path> files = Files.list(folder)) {
            logs = files.filter(f -> RUN_LOG.matcher(f.getFileName().toString()).matches()).toList();
        }
        int removed = 0;
        for (Path log : logs) {
            try {
                if (Files.isRegularFile(log) && Files.getLastModifiedTime(log).toInstant().isBefore(cutoff)) {
                    Files.delete(log);
                    removed++;
                }
            } catch (NoSuchFileException gone) {
                // removed meanwhile (another replica on the same folder)
            } catch (IOException e) {
                LOG.warn("retention: cannot remove {}: {}", log, e.getMessage());
            }
        }
        return removed;
    }
}
