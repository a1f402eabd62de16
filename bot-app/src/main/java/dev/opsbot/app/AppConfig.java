package dev.opsbot.app;

import dev.opsbot.app.management.ManagementSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.compose.ComposeLoader;
import dev.opsbot.core.failure.RefusedException;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.health.MonitorSettings;
import dev.opsbot.core.replica.ReplicaSettings;
import dev.opsbot.core.retention.Retention;
import dev.opsbot.core.secrets.SecretSettings;
import dev.opsbot.core.store.DatabaseServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The bot's configuration: {@code opsbot.yml} where present, then environment variables.
 * Without either, the bot runs the demo stack from a copy under {@code data/demo}. {@code monitor}
 * is null when no stack health is watched (the demo watches its Docker healthchecks by default);
 * {@code databaseServer} is null when the bot keeps its state in H2 files under {@code dataDir}.
 * {@code shutdownGrace}: how long a stopping bot waits for running steps to end. {@code replica}:
 * who this process is among the bot's replicas, and how long its lease lasts. {@code retention}: how
 * long run history and run logs are kept.
 */
public record AppConfig(String stackName, Path composeFile, String project, Path runbooks, Path dataDir,
                        String dockerHost, Duration confirmTimeout, boolean demo, AccessPolicy access,
                        MonitorSettings monitor,
                        ReleaseSettings release, SecretSettings secrets,
                        List<EnvironmentConfig> environments, String defaultEnvironment,
                        ManagementSettings management, DatabaseServer databaseServer,
                        Duration shutdownGrace, ReplicaSettings replica, Retention retention) {

    private static final Set<String> KEYS = Set.of("stack", "runbooks", "data", "docker-host", "confirm-timeout", "access",
            "monitor", "release", "secrets", "environments", "default-environment", "management", "database", "shutdown-grace",
            "replica", "retention");
    /**
     * Within docker stop's default 10 s before SIGKILL, with time left to close the databases and
     * chat connections; longer steps need a longer stop timeout and grace together (docs/install.md).
     */
    static final String DEFAULT_SHUTDOWN_GRACE = "8s";
    private static final Set<String> ACCESS_KEYS = Set.of("roles", "implies", "direct-messages", "commands-per-minute");

    /**
     * Without an access section: everyone may look (viewer), and whoever types at this machine's
     * console is admin. Nobody on a chat platform may change anything until roles are configured.
     */
    static final AccessPolicy DEFAULT_ACCESS = new AccessPolicy(
            Map.of(AccessPolicy.VIEWER, List.of("*"), AccessPolicy.ADMIN, List.of("console:*")),
            AccessPolicy.DEFAULT_IMPLIES, false, 20);
    private static final Set<String> STACK_KEYS = Set.of("name", "compose-file", "project");

    /** The H2 file of the top-level stack (without environments), when no PostgreSQL database is configured. */
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
            } catch (YAMLException e) {
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
        Duration confirm = duration("confirm-timeout", pick(env.get("OPSBOT_CONFIRM_TIMEOUT"), yaml.get("confirm-timeout"), "10m"));
        Duration grace = duration("shutdown-grace",
                pick(env.get("OPSBOT_SHUTDOWN_GRACE"), yaml.get("shutdown-grace"), DEFAULT_SHUTDOWN_GRACE));
        return new AppConfig(
                pick(env.get("OPSBOT_STACK"), stack.get("name"), demo ? "demo" : compose.getParent().getFileName().toString()),
                compose,
                pick(env.get("OPSBOT_PROJECT"), stack.get("project"), demo ? "opsbot-demo" : null),
                base.resolve(pick(env.get("OPSBOT_RUNBOOKS"), yaml.get("runbooks"), "runbooks")),
                data,
                pick(env.get("DOCKER_HOST"), yaml.get("docker-host"), null),
                confirm,
                demo,
                access(yaml.get("access")),
                MonitorConfig.read(yaml.get("monitor"), demo),
                ReleaseAndSecretsConfig.release(yaml.get("release"), base, env),
                ReleaseAndSecretsConfig.secrets(yaml.get("secrets"), base, env),
                environments(yaml, base),
                yaml.get("default-environment") == null ? null : String.valueOf(yaml.get("default-environment")),
                management(yaml.get("management"), env),
                DatabaseConfig.read(yaml.get("database"), env),
                grace,
                ReplicaConfig.read(yaml.get("replica"), env),
                RetentionConfig.read(yaml.get("retention"), env));
    }

    private static Duration duration(String setting, String text) {
        try {
            return ComposeLoader.duration(text);
        } catch (RuntimeException e) {
            throw new ConfigException(setting + ": " + e.getMessage());
        }
    }

    private static ManagementSettings management(Object section, Map<String, String> env) {
        try {
            return ManagementSettings.read(section, env);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static List<EnvironmentConfig> environments(Map<?, ?> yaml, Path base) {
        List<EnvironmentConfig> list = EnvironmentConfig.read(yaml.get("environments"), base);
        Object chosen = yaml.get("default-environment");
        if (chosen != null && list.stream().noneMatch(e -> e.name().equals(String.valueOf(chosen)))) {
            throw new ConfigException("default-environment: '" + chosen + "' is not one of the environments "
                    + list.stream().map(EnvironmentConfig::name).toList());
        }
        return list;
    }

    private static AccessPolicy access(Object section) {
        if (section == null) return DEFAULT_ACCESS;
        if (!(section instanceof Map<?, ?> a)) throw new ConfigException("access: expected roles, direct-messages, commands-per-minute");
        for (Object k : a.keySet()) {
            if (!ACCESS_KEYS.contains(String.valueOf(k))) throw new ConfigException("access: unknown setting '" + k + "' (known: " + ACCESS_KEYS + ")");
        }
        return new AccessPolicy(roleLists(a.get("roles"), "access.roles"),
                a.get("implies") == null ? AccessPolicy.DEFAULT_IMPLIES : roleLists(a.get("implies"), "access.implies"),
                Boolean.TRUE.equals(a.get("direct-messages")),
                a.get("commands-per-minute") instanceof Number n ? n.intValue() : 20);
    }

    private static Map<String, List<String>> roleLists(Object value, String where) {
        if (value == null) return Map.of();
        if (!(value instanceof Map<?, ?> m)) throw new ConfigException(where + ": expected role: [members]");
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((role, members) -> {
            if (!(members instanceof List<?> l)) throw new ConfigException(where + "." + role + ": expected a list");
            out.put(String.valueOf(role), l.stream().map(String::valueOf).toList());
        });
        return out;
    }

    private static String pick(String env, Object yaml, String fallback) {
        if (env != null && !env.isBlank()) return env;
        if (yaml != null) return String.valueOf(yaml);
        return fallback;
    }

    /** The configuration cannot be used; the message says which setting and why. */
    public static final class ConfigException extends RefusedException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
