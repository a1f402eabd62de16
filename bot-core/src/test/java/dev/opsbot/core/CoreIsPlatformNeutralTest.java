package dev.opsbot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core knows no chat platform: adapters depend on it, never the other way round. */
class CoreIsPlatformNeutralTest {
    private static final Pattern PLATFORM_IMPORT = Pattern.compile("^import\\s+(static\\s+)?(com\\.slack|net\\.dv8tion|okhttp3)\\.", Pattern.MULTILINE);

    @Test
    void noCoreSourceImportsSlackOrJda() throws IOException {
        Path main = RepoRoot.get().resolve("bot-core/src/main/java");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return PLATFORM_IMPORT.matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(p -> main.relativize(p).toString()).toList();
        }
        assertEquals(List.of(), offenders);
    }
}
