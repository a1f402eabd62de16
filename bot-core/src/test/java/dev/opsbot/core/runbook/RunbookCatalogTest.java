package dev.opsbot.core.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What commands see of runbook edits, without the folder being listed for each command. */
class RunbookCatalogTest {
    private static final String GOOD = "name: good\nsummary: %s\nsteps:\n  - ps: {}\n";

    /** Asks as commands do, until {@code seen} or the time is up. */
    private static boolean seenWithin(RunbookCatalog catalog, Duration time, BooleanSupplier seen) throws InterruptedException {
        long deadline = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < deadline) {
            catalog.refreshWhenChanged();
            if (seen.getAsBoolean()) return true;
            Thread.sleep(5);
        }
        return false;
    }

    @Test
    void anEditIsSeenByTheCommandsThatFollowItEvenWithinTheSameTickOfTheFileClock(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("good.yml");
        Files.writeString(file, GOOD.formatted("first"));
        try (RunbookCatalog catalog = new RunbookCatalog(dir)) {
            catalog.refresh();
            catalog.refreshWhenChanged();
            FileTime written = Files.getLastModifiedTime(file);
            // Rewritten with the time it had: a listing of modification times cannot tell, the file system's signal does.
            Files.writeString(file, GOOD.formatted("other"));
            Files.setLastModifiedTime(file, written);
            assertTrue(seenWithin(catalog, Duration.ofSeconds(5), () -> catalog.find("good").orElseThrow().summary().equals("other")));

            Files.writeString(dir.resolve("added.yml"), "name: added\nsummary: new\nsteps:\n  - ps: {}\n");
            assertTrue(seenWithin(catalog, Duration.ofSeconds(5), () -> catalog.find("added").isPresent()));
            Files.delete(dir.resolve("added.yml"));
            assertTrue(seenWithin(catalog, Duration.ofSeconds(5), () -> catalog.find("added").isEmpty()));
        }
    }

    @Test
    void withoutASignalAFolderThatAppearsLaterIsReadWithinASecondOrTwo(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("runbooks");
        try (RunbookCatalog catalog = new RunbookCatalog(folder)) {
            catalog.refreshWhenChanged();
            assertTrue(catalog.all().isEmpty());
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("good.yml"), GOOD.formatted("late"));
            assertTrue(seenWithin(catalog, Duration.ofSeconds(5), () -> catalog.find("good").isPresent()));
        }
    }

    @Test
    void commandsDoNotReadAnUnchangedFolderAgain(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yml"), GOOD.formatted("first"));
        try (RunbookCatalog catalog = new RunbookCatalog(dir)) {
            catalog.refresh();
            catalog.refreshWhenChanged();
            Thread.sleep(50);
            assertFalse(catalog.refreshWhenChanged(), "no signal, and the folder was looked at less than a second ago");
            assertEquals("first", catalog.find("good").orElseThrow().summary());
        }
    }
}
