package dev.opsbot.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The demo stack the bot operates when no stack is configured: a copy of {@code examples/demo}
 * under the data folder, so deploys edit the copy and never the repository's files.
 */
final class DemoStackCopy {
    private DemoStackCopy() {
    }

    static void ensure(Path repoRoot, Path composeFile) throws IOException {
        Path dir = composeFile.getParent();
        Path source = repoRoot.resolve("examples/demo");
        if (!Files.exists(composeFile)) {
            Files.createDirectories(dir);
            Files.copy(source.resolve("docker-compose.yml"), composeFile, StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path env = dir.resolve(".env");
        if (!Files.exists(env)) {
            Files.copy(source.resolve(".env.example"), env);
            Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
