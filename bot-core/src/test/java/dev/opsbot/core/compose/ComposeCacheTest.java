package dev.opsbot.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compose file is parsed again when, and only when, a file it is made from changed. */
class ComposeCacheTest {
    private static final String PINNED = """
            services:
              backend:
                image: "registry/backend:sha-%s"
                env_file: [backend.env]
                environment:
                  MODE: "${MODE:-plain}"
            """;

    private static ComposeCache cache(Path dir) throws Exception {
        Files.writeString(dir.resolve("backend.env"), "LEVEL=info\n");
        Files.writeString(dir.resolve("docker-compose.yml"), PINNED.formatted("1a2b3c4"));
        return new ComposeCache(Map.of(), dir.resolve("docker-compose.yml"), "shop");
    }

    private static String tag(ComposeCache cache) {
        return cache.get().require("backend").imageRef().tag();
    }

    /** Pretends every file of the folder was last written long ago (their times are settled). */
    private static void age(Path dir) throws Exception {
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.setLastModifiedTime(f, old);
        }
    }

    @Test
    void anUnchangedFileIsNotParsedAgain(@TempDir Path dir) throws Exception {
        ComposeCache cache = cache(dir);
        ComposeProject first = cache.get();
        assertSame(first, cache.get(), "recent files: compared by their bytes");
        age(dir);
        ComposeProject settled = cache.get();
        assertSame(settled, cache.get(), "settled files: one look at their time and size");
    }

    @Test
    void aPinWrittenWithinTheSameTickOfTheClockIsSeen(@TempDir Path dir) throws Exception {
        ComposeCache cache = cache(dir);
        Path file = dir.resolve("docker-compose.yml");
        FileTime written = Files.getLastModifiedTime(file);
        assertEquals("sha-1a2b3c4", tag(cache));
        // Same length, same modification time: what two writes a millisecond apart look like.
        Files.writeString(file, PINNED.formatted("5d6e7f8"));
        Files.setLastModifiedTime(file, written);
        assertEquals("sha-5d6e7f8", tag(cache));
    }

    @Test
    void aSettledFileRewrittenIsSeen(@TempDir Path dir) throws Exception {
        ComposeCache cache = cache(dir);
        age(dir);
        assertEquals("sha-1a2b3c4", tag(cache));
        cache.get();
        Files.writeString(dir.resolve("docker-compose.yml"), PINNED.formatted("5d6e7f8"));
        assertEquals("sha-5d6e7f8", tag(cache));
    }

    @Test
    void aDotEnvThatAppearsAndAnEnvFileThatChangesAreRead(@TempDir Path dir) throws Exception {
        ComposeCache cache = cache(dir);
        assertEquals("plain", cache.get().require("backend").environment().get("MODE"));
        Files.writeString(dir.resolve(".env"), "MODE=strict\n");
        assertEquals("strict", cache.get().require("backend").environment().get("MODE"));
        Files.writeString(dir.resolve("backend.env"), "LEVEL=debug\n");
        assertEquals("debug", cache.get().require("backend").environment().get("LEVEL"));
    }

    @Test
    void aBrokenFileIsReportedEachTimeUntilItIsMended(@TempDir Path dir) throws Exception {
        ComposeCache cache = cache(dir);
        cache.get();
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, "services: [\n");
        for (int i = 0; i < 2; i++) {
            assertTrue(assertThrows(ComposeException.class, cache::get).getMessage().contains("not valid YAML"));
        }
        Files.writeString(file, PINNED.formatted("5d6e7f8"));
        assertEquals("sha-5d6e7f8", tag(cache));
    }

    @Test
    void theLoadedProjectCannotBeChangedByAReader(@TempDir Path dir) throws Exception {
        ComposeProject p = cache(dir).get();
        assertThrows(UnsupportedOperationException.class, () -> p.require("backend").environment().put("MODE", "x"));
    }
}
