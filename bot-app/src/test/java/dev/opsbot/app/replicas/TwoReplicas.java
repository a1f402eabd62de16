package dev.opsbot.app.replicas;

import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.store.DatabaseServer;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.discord.FakeDiscord;
import dev.opsbot.slack.FakeSlack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Two replicas of one installation, as docs/high-availability.md deploys them: two
 * {@code opsbot run} processes with a data folder and a management port each, one PostgreSQL
 * database, one demo stack on the real engine, one Slack app in Socket Mode (each process its
 * own connection) and one Discord bot (each process its own gateway session), both fakes.
 * Replicas are named {@code a} and {@code b}; each can be killed and started again.
 */
final class TwoReplicas implements AutoCloseable {
    static final List<String> NAMES = List.of("a", "b");
    /** Lease settings short enough for a test: a dead leader's duties move within a few seconds. */
    static final String LEASE_TTL = "3s";
    static final Duration START = Duration.ofSeconds(90);

    private final Path dir;
    private final Path logs;
    private final DemoStack stack;
    private final DatabaseServer database;
    private final FakeSlack slack;
    private final FakeDiscord discord;
    private final Path config;
    private final Path runbooks;
    private final Map<String, ReplicaProcess> running = new LinkedHashMap<>();
    private final Map<String, Integer> starts = new LinkedHashMap<>();

    private TwoReplicas(Path dir, Path logs, DemoStack stack, DatabaseServer database, FakeSlack slack, FakeDiscord discord,
                        Path config, Path runbooks) {
        this.dir = dir;
        this.logs = logs;
        this.stack = stack;
        this.database = database;
        this.slack = slack;
        this.discord = discord;
        this.config = config;
        this.runbooks = runbooks;
    }

    /**
     * Makes everything and starts both replicas at once; {@code settings} is the opsbot.yml they
     * share, {@code runbookFiles} the runbooks by file name. Each start of a replica logs to a file
     * of its own under {@code logs} (in the build's target folder, so a failure can be read after).
     */
    static TwoReplicas start(Path dir, Path logs, DockerEngine docker, DatabaseServer database, String settings,
                             Map<String, String> runbookFiles) throws Exception {
        DemoStack stack = new DemoStack(docker.host(), dir);
        FakeSlack slack = null;
        FakeDiscord discord = null;
        try {
            stack.upAndMigrate();
            slack = new FakeSlack(new Random());
            discord = new FakeDiscord().start();
            Path config = Files.writeString(dir.resolve("opsbot.yml"), settings);
            Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
            for (Map.Entry<String, String> f : runbookFiles.entrySet()) Files.writeString(runbooks.resolve(f.getKey()), f.getValue());
            TwoReplicas replicas = new TwoReplicas(dir, logs, stack, database, slack, discord, config, runbooks);
            try {
                for (String name : NAMES) replicas.launch(name);
                for (String name : NAMES) replicas.awaitConnected(name);
                return replicas;
            } catch (Exception | AssertionError e) {
                replicas.close();
                throw e;
            }
        } catch (Exception | AssertionError e) {
            if (discord != null) discord.close();
            if (slack != null) slack.close();
            stack.close();
            throw e;
        }
    }

    FakeSlack slack() {
        return slack;
    }

    FakeDiscord discord() {
        return discord;
    }

    DemoStack stack() {
        return stack;
    }

    ReplicaProcess replica(String name) {
        ReplicaProcess p = running.get(name);
        if (p == null || !p.alive()) throw new AssertionError("replica " + name + " is not running");
        return p;
    }

    boolean isRunning(String name) {
        ReplicaProcess p = running.get(name);
        return p != null && p.alive();
    }

    /** The replica whose {@code /readyz} says it leads the environment, waiting up to {@code timeout} for one to. */
    String leader(String environment, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Map.Entry<String, ReplicaProcess> r : running.entrySet()) {
                if (r.getValue().alive() && r.getValue().leads(environment)) return r.getKey();
            }
            if (System.nanoTime() > deadline) throw new AssertionError("no replica leads " + environment + " within " + timeout + tails());
            Thread.sleep(200);
        }
    }

    /** The other replica's name. */
    static String other(String name) {
        return name.equals("a") ? "b" : "a";
    }

    /** {@code kill -9} of a replica; returns its exit code. */
    int kill(String name) throws InterruptedException {
        ReplicaProcess p = running.remove(name);
        if (p == null) throw new AssertionError("replica " + name + " is not running");
        try {
            return p.kill();
        } finally {
            p.close();
        }
    }

    /** Starts a replica again (after a kill) with the same data folder, and waits until it is connected. */
    void restart(String name) throws Exception {
        if (running.containsKey(name)) throw new AssertionError("replica " + name + " is still running");
        launch(name);
        awaitConnected(name);
    }

    private void launch(String name) throws IOException {
        int n = starts.merge(name, 1, Integer::sum);
        Path home = Files.createDirectories(dir.resolve("replica-" + name));
        Map<String, String> env = environment(name, home);
        // A new id for each start, as a new pod gets one: the log and /readyz say which process did what.
        env.put("OPSBOT_REPLICA_ID", name + n);
        running.put(name, ReplicaProcess.start(name, List.of("--config", config.toString()), env, freePort(),
                logs.resolve("replica-" + name + "-" + n + ".log")));
    }

    /** Ready, with its Socket Mode connection open and its gateway session identified. */
    private void awaitConnected(String name) throws InterruptedException {
        running.get(name).awaitReady(START);
        slack.socketMode().awaitConnections(name, 1, Duration.ofSeconds(20));
        discord.awaitSession(name, Duration.ofSeconds(20));
    }

    /** What both replicas share (database, stack, chat apps) and what each has of its own (folder, addresses). */
    private Map<String, String> environment(String name, Path home) {
        Map<String, String> env = new LinkedHashMap<>(stack.stack().environment());
        env.put("OPSBOT_COMPOSE_FILE", stack.composeFile().toString());
        env.put("OPSBOT_PROJECT", stack.project().name());
        env.put("OPSBOT_STACK", "demo");
        env.put("OPSBOT_RUNBOOKS", runbooks.toString());
        env.put("OPSBOT_DATA", home.resolve("data").toString());
        env.put("OPSBOT_DATABASE_URL", database.url());
        env.put("OPSBOT_DATABASE_USER", database.user());
        env.put("OPSBOT_DATABASE_PASSWORD", database.password());
        env.put("OPSBOT_LEASE_TTL", LEASE_TTL);
        env.put("OPSBOT_SHUTDOWN_GRACE", "1s");
        env.put("SLACK_BOT_TOKEN", "xoxb-replicas");
        env.put("SLACK_APP_TOKEN", "xapp-replicas");
        env.put("SLACK_API_URL", slack.apiUrl(name));
        env.putAll(discord.environment(name));
        return env;
    }

    /** The audit trails checked as an operator would: {@code opsbot audit verify} against the database. */
    AuditVerify verifyAudit() throws Exception {
        return AuditVerify.run(config, environment("audit", Files.createDirectories(dir.resolve("audit"))));
    }

    /** What every running replica printed last, for a failure's message. */
    String tails() {
        StringBuilder out = new StringBuilder();
        running.values().forEach(p -> out.append("\n--- ").append(p).append('\n').append(p.tail(30)));
        return out.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops every replica, the fakes and the stack; nothing is left running. */
    @Override
    public void close() throws Exception {
        for (ReplicaProcess p : List.copyOf(running.values())) p.close();
        running.clear();
        try {
            discord.close();
            slack.close();
        } finally {
            stack.close();
        }
    }
}
