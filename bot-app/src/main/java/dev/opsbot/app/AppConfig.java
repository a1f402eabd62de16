package dev.opsbot.app;

import dev.opsbot.core.compose.ComposeLoader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The bot's configuration: {@code opsbot.yml} where present, then environment variables.
 * Without either, the bot runs the demo stack from a copy under {@code data/demo}.
 */
public record AppConfig(String stackName, Path composeFile, String project, Path runbooks, Path dataDir,
                        String dockerHost, Duration confirmTimeout, boolean demo) {

    private static final Set<String> KEYS = Set.of("stack", "runbooks", "data", "docker-host", "confirm-timeout");
    private static final Set<String> STACK_KEYS = Set.of("name", "compose-file", "project");

    public Path database() {
        return dataDir.resolve("opsbot");
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    /** Reads {@code file} if it exists, relative paths resolved against {@code base}. */
    public static AppConfig load(Path base, Path file, Map<String, String> env) {
        Map<?, ?> yaml = Map.of();
        if (file != null && Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
                if (loaded instanceof Map<?, ?> m) yaml = m;
                else if (loaded != null) throw new ConfigException(file + ": expected a mapping of settings");
            } catch (IOException e) {
                throw new ConfigException("cannot read " + file + ": " + e.getMessage());
            } catch (org.yaml.snakeyaml.error.YAMLException e) {
                throw new ConfigException(file + " is not valid YAML: " + e.getMessage());
            }
            for (Object k : yaml.keySet()) {
                if (!KEYS.contains(String.valueOf(k))) throw new ConfigException(file + ": unknown setting '" + k + "' (known: " + KEYS + ")");
            }
        }
        Map<?, ?> stack = yaml.get("stack") instanceof Map<?, ?> s ? s : Map.of();
        for (Object k : stack.keySet()) {
            if (!STACK_KEYS.contains(String.valueOf(k))) throw new ConfigException("stack: unknown setting '" + k + "' (known: " + STACK_KEYS + ")");
        }
        Path data = base.resolve(pick(env.get("OPSBOT_DATA"), yaml.get("data"), "data"));
        String composeSetting = pick(env.get("OPSBOT_COMPOSE_FILE"), stack.get("compose-file"), null);
        boolean demo = composeSetting == null;
        Path compose = demo ? data.resolve("demo/docker-compose.yml") : base.resolve(composeSetting);
        String timeout = pick(env.get("OPSBOT_CONFIRM_TIMEOUT"), yaml.get("confirm-timeout"), "10m");
        Duration confirm;
        try {
            confirm = ComposeLoader.duration(timeout);
        } catch (RuntimeException e) {
            throw new ConfigException("confirm-timeout: " + e.getMessage());
        }
        return new AppConfig(
                pick(env.get("OPSBOT_STACK"), stack.get("name"), demo ? "demo" : compose.getParent().getFileName().toString()),
                compose,
                pick(env.get("OPSBOT_PROJECT"), stack.get("project"), demo ? "opsbot-demo" : null),
                base.resolve(pick(env.get("OPSBOT_RUNBOOKS"), yaml.get("runbooks"), "runbooks")),
                data,
                pick(env.get("DOCKER_HOST"), yaml.get("docker-host"), null),
                confirm,
                demo);
    }

    private static String pick(String env, Object yaml, String fallback) {
        if (env != null && !env.isBlank()) return env;
        if (yaml != null) return String.valueOf(yaml);
        return fallback;
    }

    /** The configuration cannot be used; the message says which setting and why. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
