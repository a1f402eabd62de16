package dev.opsbot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs external commands (docker, docker-compose) and says what they printed. */
final class Commands {
    private Commands() {
    }

    record Outcome(int exit, String output, Duration took) {
        boolean ok() {
            return exit == 0;
        }
    }

    static Outcome run(List<String> command, Path dir, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout);
            }
            return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs the command and fails with its output when it fails. */
    static Outcome check(List<String> command, Path dir, Map<String, String> env, Duration timeout) {
        Outcome o = run(command, dir, env, timeout);
        if (!o.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + o.exit() + ":\n" + o.output());
        }
        return o;
    }

    static Optional<String> firstLine(List<String> command) {
        try {
            Outcome o = run(command, null, Map.of(), Duration.ofSeconds(20));
            return o.ok() ? o.output().lines().findFirst().map(String::strip) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
