package dev.opsbot.bench;

import dev.opsbot.core.testing.RepoRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bot as people run it: {@code ./opsbot <command>} from the repository, a process of its own
 * with its own environment. Standard output is watched for a line that says it is ready; both
 * streams are kept in a log file next to its data.
 */
final class BotProcess implements AutoCloseable {
    static final Pattern READY = Pattern.compile("opsbot ready in (\\d+) ms");

    private final Process process;
    private final long startedNanos;
    private final Path log;
    private final List<String> lines = new ArrayList<>();
    private final PrintWriter logWriter;
    private volatile long readyNanos = -1;
    private volatile int reportedMillis = -1;
    private final Pattern readyLine;
    /** Kills the bot should the harness end first (Ctrl-C): no bot outlives the run. */
    private final Thread reaper;

    private BotProcess(Process process, long startedNanos, Path log, Pattern readyLine) throws IOException {
        this.process = process;
        this.reaper = new Thread(process::destroyForcibly, "bot-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        this.startedNanos = startedNanos;
        this.log = log;
        this.readyLine = readyLine;
        this.logWriter = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        Thread out = new Thread(() -> pump(process.getInputStream(), true), "bot-stdout");
        Thread err = new Thread(() -> pump(process.getErrorStream(), false), "bot-stderr");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    /**
     * Starts {@code ./opsbot args…} with {@code env} added to a clean environment (PATH, HOME and
     * DOCKER_HOST are kept; no chat variables leak in from the caller).
     */
    static BotProcess start(List<String> args, Map<String, String> env, Path log, Pattern readyLine) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(RepoRoot.get().resolve("opsbot").toString());
        command.addAll(args);
        return command(command, env, log, readyLine);
    }

    /** Starts any command that runs a bot (e.g. {@code docker run … opsbot:…}), in the repository's folder. */
    static BotProcess command(List<String> command, Map<String, String> env, Path log, Pattern readyLine) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(RepoRoot.get().toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("SLACK_") || k.startsWith("DISCORD_") || k.startsWith("OPSBOT_"));
        e.putAll(env);
        long started = System.nanoTime();
        Process p = pb.start();
        return new BotProcess(p, started, log, readyLine);
    }

    static BotProcess start(List<String> args, Map<String, String> env, Path log) throws IOException {
        return start(args, env, log, READY);
    }

    private void pump(java.io.InputStream in, boolean stdout) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                long now = System.nanoTime();
                logWriter.println((stdout ? "out| " : "err| ") + line);
                if (stdout) {
                    synchronized (this) {
                        lines.add(line);
                        Matcher m = readyLine.matcher(line);
                        if (readyNanos < 0 && m.find()) {
                            readyNanos = now;
                            if (m.groupCount() >= 1) reportedMillis = Integer.parseInt(m.group(1));
                        }
                        notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Waits for the ready line; returns the time from process start to it. */
    synchronized Duration awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (readyNanos < 0) {
            if (!process.isAlive()) {
                // let the pumps finish reading
                wait(200);
                if (readyNanos >= 0) break;
                throw new IllegalStateException("the bot exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new IllegalStateException("the bot was not ready within " + timeout + "; see " + log);
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, 100_000_000L));
        }
        return Duration.ofNanos(readyNanos - startedNanos);
    }

    /** The "ready in N ms" the bot printed itself, or -1. */
    int reportedMillis() {
        return reportedMillis;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** Resident memory (VmRSS) in MiB. */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
        throw new IOException("no VmRSS for " + pid());
    }

    /** Runs {@code jcmd <pid> <command…>}. */
    String jcmd(String... command) {
        List<String> c = new ArrayList<>(List.of("jcmd", Long.toString(pid())));
        c.addAll(List.of(command));
        return Commands.check(c, null, Map.of(), Duration.ofSeconds(60)).output();
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    /** {@code kill -9}: the process ends at once, with no chance to tidy anything; returns its exit code (137). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("the bot survived SIGKILL; see " + log);
        return process.exitValue();
    }

    /** Stops the bot as a terminal would (SIGTERM), waiting for it to close cleanly. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        logWriter.close();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, on a process already gone
        }
    }
}
