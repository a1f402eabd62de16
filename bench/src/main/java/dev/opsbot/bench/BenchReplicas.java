package dev.opsbot.bench;

import dev.opsbot.core.store.DatabaseServer;
import dev.opsbot.slack.FakeSlack;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replicas of one installation as docs/high-availability.md runs them: {@code ./opsbot run}
 * processes with a data folder and a management port each, one PostgreSQL database, one stack,
 * one Slack app in Socket Mode (each process its own connection, through its own address of the
 * fake, so every call says which replica made it).
 */
final class BenchReplicas implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final BenchStack stack;
    private final DatabaseServer database;
    private final FakeSlack slack;
    private final Path config;
    private final Path runbooks;
    private final Map<String, String> extra;
    private final Map<String, BotProcess> running = new LinkedHashMap<>();
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param extra variables every replica gets besides the shared ones (a lease length) */
    BenchReplicas(Path dir, BenchStack stack, DatabaseServer database, FakeSlack slack, Path config, Path runbooks,
                  Map<String, String> extra) {
        this.dir = dir;
        this.stack = stack;
        this.database = database;
        this.slack = slack;
        this.config = config;
        this.runbooks = runbooks;
        this.extra = extra;
    }

    /** Starts replica {@code name} and waits until it is ready with its Socket Mode connection open. */
    BotProcess start(String name) throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve("replica-" + name));
        Map<String, String> env = new LinkedHashMap<>(BotEnv.stack(stack, home.resolve("data"), runbooks));
        env.put("OPSBOT_DATABASE_URL", database.url());
        env.put("OPSBOT_DATABASE_USER", database.user());
        env.put("OPSBOT_DATABASE_PASSWORD", database.password());
        int port = AckScenario.freePort();
        managementPorts.put(name, port);
        env.put("OPSBOT_MANAGEMENT_PORT", Integer.toString(port));
        env.put("OPSBOT_REPLICA_ID", name);
        env.put("OPSBOT_SHUTDOWN_GRACE", "1s");
        env.put("SLACK_BOT_TOKEN", FakeSlackApi.BOT_TOKEN);
        env.put("SLACK_APP_TOKEN", "xapp-bench");
        env.put("SLACK_API_URL", slack.apiUrl(name));
        env.putAll(extra);
        BotProcess bot = BotProcess.start(List.of("run", "--config", config.toString()), env, home.resolve("bot.log"));
        running.put(name, bot);
        bot.awaitReady(Duration.ofSeconds(90));
        slack.socketMode().awaitConnections(name, 1, Duration.ofSeconds(20));
        return bot;
    }

    /** Whether the replica's {@code /readyz} says it leads {@code environment}; false when it does not answer. */
    boolean leads(String name, String environment) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPorts.get(name) + "/readyz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).path("leadership").path(environment).path("leading").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** The running replica whose {@code /readyz} says it leads, waiting up to {@code timeout}. */
    String leader(String environment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String name : running.keySet()) {
                if (leads(name, environment)) return name;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no replica leads " + environment + " within " + timeout);
    }

    /** {@code kill -9} of a replica; returns its exit code. */
    int kill(String name) throws InterruptedException {
        BotProcess bot = running.remove(name);
        if (bot == null) throw new IllegalStateException("replica " + name + " is not running");
        try {
            return bot.kill();
        } finally {
            bot.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (BotProcess bot : List.copyOf(running.values())) bot.close();
        running.clear();
    }
}
