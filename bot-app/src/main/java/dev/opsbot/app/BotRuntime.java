package dev.opsbot.app;

import dev.opsbot.app.logging.LogRedaction;
import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.env.ComposeGlance;
import dev.opsbot.core.env.Environment;
import dev.opsbot.core.env.Environments;
import dev.opsbot.core.env.SwarmGlance;
import dev.opsbot.core.health.HealthMonitor;
import dev.opsbot.core.health.MonitorSettings;
import dev.opsbot.core.runbook.EnvironmentRules;
import dev.opsbot.core.secrets.EnvSecrets;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DatabaseServer;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.telemetry.Telemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Everything a running bot holds, built from the configuration and closed in reverse order:
 * one environment (database, Docker engine, bot) per entry of {@code environments:}, or a
 * single one for the top-level stack, behind one {@link Environments} inbox.
 */
final class BotRuntime implements AutoCloseable {
    final AppConfig config;
    /** Where commands and presses go. */
    final Environments environments;
    /** The first environment's bot (the only one without an {@code environments:} section). */
    final Bot bot;
    /** The first environment's engine. */
    final DockerHost docker;
    /** Each environment's engine, by environment name. */
    final Map<String, DockerHost> engines = new LinkedHashMap<>();
    /** Each environment's database, by environment name. */
    final Map<String, Database> databases = new LinkedHashMap<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Telemetry telemetry;

    /** @param home the opsbot checkout, whose examples/demo seeds the demo stack when no stack is configured */
    BotRuntime(AppConfig config, Map<String, String> env, Path home) throws IOException {
        this(config, env, home, Telemetry.NONE);
    }

    /** @param telemetry where every environment's bot reports what it counts (commands, runs, alerts) */
    BotRuntime(AppConfig config, Map<String, String> env, Path home, Telemetry telemetry) throws IOException {
        this.config = config;
        this.telemetry = telemetry;
        Files.createDirectories(config.dataDir());
        List<Environment> list = new ArrayList<>();
        try {
            if (config.environments().isEmpty()) {
                if (config.demo()) DemoStackCopy.ensure(home, config.composeFile());
                DockerEngine engine = open(DockerEngine.connect(config.dockerHost()));
                engines.put(config.stackName(), engine.host());
                Stack stack = new Stack(config.stackName(), config.composeFile(), config.project(), env);
                list.add(environment(config.stackName(), stack, engine, false, EnvironmentDatabase.topLevel(config), config.logDir(),
                        config.runbooks(), EnvironmentRules.AS_WRITTEN, config.monitor(), List.of()));
            } else {
                for (EnvironmentConfig e : config.environments()) {
                    DockerEngine engine = open(DockerEngine.connect(e.dockerHost(), e.tlsVerify(),
                            e.certPath() == null ? null : e.certPath().toString()));
                    engines.put(e.name(), engine.host());
                    Path data = Files.createDirectories(e.dataDir(config.dataDir()));
                    Stack stack = new Stack(e.stackName(), e.composeFile(), e.project(), env);
                    Path runbooks = e.runbooks() != null ? e.runbooks() : e.swarm() ? config.runbooks().resolve("swarm") : config.runbooks();
                    list.add(environment(e.name(), stack, engine, e.swarm(), EnvironmentDatabase.of(config, e), data.resolve("logs"),
                            runbooks, e.rules(), e.monitor(), e.channels()));
                }
            }
        } catch (RuntimeException | IOException e) {
            close();
            throw e;
        }
        this.environments = new Environments(list, config.defaultEnvironment(), config.access(), Clock.systemUTC());
        this.bot = list.get(0).bot();
        this.docker = engines.values().iterator().next();
    }

    /** @param swarm whether the stack runs as a Docker Swarm stack (named by the stack's project) rather than a compose project */
    private Environment environment(String name, Stack stack, DockerEngine engine, boolean swarm, EnvironmentDatabase place, Path logs,
                                    Path runbooks, EnvironmentRules rules, MonitorSettings monitor, List<String> channels) {
        Redactor redactor = redactor(stack);
        // The bot's own log passes this environment's redactor too, while the runtime is open (from before the
        // database is opened: its password is among the secrets).
        open(LogRedaction.of(LoggerFactory.getILoggerFactory()).add(redactor));
        Database db = open(place.open(config.databaseServer()));
        databases.put(name, db);
        SwarmHost swarmHost = swarm ? engine.swarm() : null;
        Bot bot = open(new Bot(new BotSettings(stack, runbooks, logs, config.confirmTimeout(), null, config.access(),
                config.release(), config.secrets(), rules, name, telemetry, config.replica()), engine.host(), swarmHost, db, redactor,
                Clock.systemUTC()));
        bot.retain(config.retention());
        if (monitor != null && swarm) {
            // A swarm stack has no compose events: its services' tasks are read on every node instead.
            MonitorSettings tasks = monitor.forSwarm(stack.project(), stack.load().services().keySet());
            bot.monitorHealth(new HealthMonitor(stack, tasks, engine.host(), engine.watch(), swarmHost, db, redactor,
                    Clock.systemUTC()));
        } else if (monitor != null) {
            bot.monitorHealth(new HealthMonitor(stack, monitor, engine.host(), engine.watch(), db, redactor, Clock.systemUTC()));
        }
        if (swarm) {
            return new Environment(name, bot, engine.endpoint(), "swarm stack " + stack.project(), channels,
                    new SwarmGlance(swarmHost, stack.project()));
        }
        return new Environment(name, bot, engine.endpoint(),
                "compose project " + (stack.project() != null ? stack.project() : stack.composeFile().toAbsolutePath().getParent().getFileName()),
                channels, new ComposeGlance(engine.host(), stack));
    }

    /** Secret values of the stack's .env files, and the configured push, registry and database passwords. */
    private Redactor redactor(Stack stack) {
        List<Path> envFiles = new ArrayList<>(List.of(stack.composeFile().toAbsolutePath().getParent().resolve(".env")));
        Path secretsFile = config.secrets().envFile(stack.composeFile());
        if (!envFiles.contains(secretsFile)) envFiles.add(secretsFile);
        EnvSecrets envSecrets = new EnvSecrets(envFiles);
        // The push, registry and database passwords are secrets too, wherever an error message might carry one.
        List<String> configured = new ArrayList<>();
        if (config.release().credentials() != null) configured.add(config.release().credentials().password());
        if (config.release().registryCredentials() != null) configured.add(config.release().registryCredentials().password());
        DatabaseServer database = config.databaseServer();
        if (database != null && database.password() != null) configured.add(database.password());
        return new Redactor(envSecrets, configured);
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.add(resource);
        return resource;
    }

    /** Connects an adapter's port to every environment. */
    void register(ChatPort port) {
        environments.register(port);
    }

    List<Bot> bots() {
        return environments.all().stream().map(Environment::bot).toList();
    }

    @Override
    public void close() {
        if (environments != null) environments.close();
        // Bots before their engines and databases: the reverse of opening.
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
        opened.clear();
    }
}
