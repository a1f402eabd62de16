package dev.opsbot.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-java and its HTTP transport are seen by one package only, {@code dockerjava}: the rest
 * of the bot uses the engine through {@code DockerHost}, {@code SwarmHost} and {@code ContainerWatch}.
 */
class DockerJavaStaysBehindThePortsTest {
    /** Imports and fully qualified names alike. */
    private static final Pattern DOCKER_JAVA = Pattern.compile("\\b(com\\.github\\.dockerjava|org\\.apache\\.hc)\\.");
    private static final String IMPLEMENTATION = "dev/opsbot/core/dockerjava/";

    @Test
    void noMainSourceOutsideTheDockerJavaPackageNamesDockerJavaOrItsTransport() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("bot-core", "bot-app", "slack-adapter", "discord-adapter")) {
            Path main = RepoRoot.get().resolve(module + "/src/main/java");
            if (!Files.isDirectory(main)) continue;
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> !main.relativize(p).toString().replace('\\', '/').startsWith(IMPLEMENTATION))
                        .filter(p -> DOCKER_JAVA.matcher(read(p)).find())
                        .forEach(p -> offenders.add(module + ": " + main.relativize(p)));
            }
        }
        assertEquals(List.of(), offenders);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
