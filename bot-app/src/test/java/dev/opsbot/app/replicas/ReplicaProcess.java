package dev.opsbot.app.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One replica: {@code opsbot run} in a JVM of its own, from the build's class path, with its own
 * environment (data folder, management port, chat addresses). Both output streams go to a log
 * file beside its data and are kept for assertions; {@link #kill()} is {@code kill -9}.
 */
final class ReplicaProcess implements AutoCloseable {
    private static final String READY = "opsbot ready in ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int managementPort;
    private final Path log;
    private final List<String> lines = new ArrayList<>();
    private final PrintWriter logWriter;
    /** Kills the process should the test JVM end first (a timeout, Ctrl-C): no replica outlives the run. */
    private final Thread reaper;

    private ReplicaProcess(String name, Process process, int managementPort, Path log) throws IOException {
        this.name = name;
        this.process = process;
        this.reaper = new Thread(process::destroyForcibly, "replica-" + name + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        this.managementPort = managementPort;
        this.log = log;
        this.logWriter = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        pump(process.getInputStream(), "out");
        pump(process.getErrorStream(), "err");
    }

    /**
     * Starts {@code opsbot run args…} with {@code env} over a clean environment: the caller's
     * chat and opsbot variables are left out, PATH, HOME and DOCKER_HOST kept.
     */
    static ReplicaProcess start(String name, List<String> args, Map<String, String> env, int managementPort, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xss512k", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "dev.opsbot.app.Main", "run"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("SLACK_") || k.startsWith("DISCORD_") || k.startsWith("OPSBOT_"));
        pb.environment().putAll(env);
        pb.environment().put("OPSBOT_MANAGEMENT_PORT", Integer.toString(managementPort));
        Files.createDirectories(log.getParent());
        return new ReplicaProcess(name, pb.start(), managementPort, log);
    }

    String name() {
        return name;
    }

    private void pump(InputStream in, String stream) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    logWriter.println(stream + "| " + line);
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "replica-" + name + "-" + stream);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the line {@code opsbot ready in … ms}. */
    void awaitReady(Duration timeout) throws InterruptedException {
        awaitLine(READY, timeout);
    }

    /** Waits for a line of either stream containing {@code text}. */
    void awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.stream().noneMatch(l -> l.contains(text))) {
                long left = deadline - System.nanoTime();
                if (!process.isAlive()) {
                    lines.wait(300); // the pumps read what is left
                    if (lines.stream().anyMatch(l -> l.contains(text))) return;
                    throw new AssertionError("replica " + name + " exited " + process.exitValue() + " before printing '" + text
                            + "':\n" + tail(40));
                }
                if (left <= 0) throw new AssertionError("replica " + name + " did not print '" + text + "' within " + timeout
                        + ":\n" + tail(40));
                lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            }
        }
    }

    /** The last {@code n} lines it printed, for a failure's message. */
    String tail(int n) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** {@code GET /readyz} (or another path) of its management listener: status and body. */
    HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code /readyz} as JSON: status, parts, this replica's id and, per environment, whether it leads (since when) or who does. */
    JsonNode readyz() throws IOException, InterruptedException {
        return JSON.readTree(management("/readyz").body());
    }

    /** Whether {@code /readyz} says this replica leads {@code environment}. */
    boolean leads(String environment) throws IOException, InterruptedException {
        return readyz().path("leadership").path(environment).path("leading").asBoolean(false);
    }

    /** {@code kill -9}: the JVM ends at once, with no chance to tidy anything; returns its exit code (137). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("replica " + name + " survived SIGKILL");
        return process.exitValue();
    }

    /** Ends the process, gently first (SIGTERM, its short grace period), then by force. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) kill();
        }
        logWriter.close();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, on a process already gone
        }
    }

    @Override
    public String toString() {
        return "replica " + name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
