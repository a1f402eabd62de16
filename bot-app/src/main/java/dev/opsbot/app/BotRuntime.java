package dev.opsbot.app;

import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.docker.DockerJavaHost;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.health.HealthMonitor;
import dev.opsbot.core.secrets.EnvSecrets;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything a running bot holds, built from the configuration and closed in reverse order. */
final class BotRuntime implements AutoCloseable {
    final AppConfig config;
    final Database database;
    final DockerJavaHost docker;
    final Bot bot;

    /** @param home the opsbot checkout, whose examples/demo seeds the demo stack when no stack is configured */
    BotRuntime(AppConfig config, Map<String, String> env, Path home) throws java.io.IOException {
        this.config = config;
        Files.createDirectories(config.dataDir());
        if (config.demo()) DemoStackCopy.ensure(home, config.composeFile());
        this.database = Database.open(config.database());
        this.docker = DockerJavaHost.connect(config.dockerHost());
        Stack stack = new Stack(config.stackName(), config.composeFile(), config.project(), env);
        List<Path> envFiles = new ArrayList<>(List.of(config.composeFile().toAbsolutePath().getParent().resolve(".env")));
        Path secretsFile = config.secrets().envFile(config.composeFile());
        if (!envFiles.contains(secretsFile)) envFiles.add(secretsFile);
        EnvSecrets envSecrets = new EnvSecrets(envFiles);
        // The push and registry passwords are secrets too, wherever an error message might carry one.
        List<String> configured = new ArrayList<>();
        if (config.release().credentials() != null) configured.add(config.release().credentials().password());
        if (config.release().registryCredentials() != null) configured.add(config.release().registryCredentials().password());
        Redactor redactor = new Redactor(() -> {
            List<String> all = new ArrayList<>(envSecrets.get());
            all.addAll(configured);
            return all;
        });
        this.bot = new Bot(new BotSettings(stack, config.runbooks(), config.logDir(), config.confirmTimeout(), null, config.access(),
                config.release(), config.secrets()),
                docker, database, redactor, Clock.systemUTC());
        if (config.monitor() != null) {
            bot.monitorHealth(new HealthMonitor(stack, config.monitor(), docker, database, redactor, Clock.systemUTC()));
        }
    }

    @Override
    public void close() {
        bot.close();
        docker.close();
        database.close();
    }
}
