package dev.opsbot.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** An opsbot.yml written into a test's folder and loaded as the bot loads it, with these environment variables. */
final class OpsbotYml {
    private OpsbotYml() {
    }

    static AppConfig load(Path dir, String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("opsbot.yml");
        Files.writeString(file, yaml);
        return AppConfig.load(dir, file, env);
    }
}
