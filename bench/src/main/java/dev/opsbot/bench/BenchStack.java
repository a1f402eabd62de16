package dev.opsbot.bench;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compose project the benchmark owns: a copy of a compose file in its own folder, a project
 * name of its own ({@code opsbot-bench-<role>-<random>}), host ports picked by Docker.
 * {@link #close()} removes what carries that project name (containers, networks, volumes) and
 * nothing else; a shutdown hook does the same for projects still open when the run is stopped.
 */
final class BenchStack implements AutoCloseable {
    static final String PREFIX = "opsbot-bench-";
    private static final Set<BenchStack> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(BenchStack::close), "bench-cleanup"));
    }

    private final DockerHost docker;
    private final Path dir;
    private final String project;
    private final Stack stack;

    private BenchStack(DockerHost docker, Path dir, String role) {
        this.docker = docker;
        this.dir = dir;
        this.project = PREFIX + role + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.stack = new Stack("bench-" + role, dir.resolve("docker-compose.yml"), project, environment());
        OPEN.add(this);
    }

    /** A copy of the demo stack (examples/demo) with its .env. */
    static BenchStack demo(DockerHost docker, Path work, String role) throws IOException {
        Path dir = Files.createDirectories(work.resolve(role));
        Path root = RepoRoot.get();
        Files.copy(root.resolve("examples/demo/docker-compose.yml"), dir.resolve("docker-compose.yml"));
        copyEnv(root, dir);
        return new BenchStack(docker, dir, role);
    }

    /** A stack of the given compose text (and the demo's .env beside it). */
    static BenchStack of(DockerHost docker, Path work, String role, String composeText) throws IOException {
        Path dir = Files.createDirectories(work.resolve(role));
        Files.writeString(dir.resolve("docker-compose.yml"), composeText);
        copyEnv(RepoRoot.get(), dir);
        return new BenchStack(docker, dir, role);
    }

    private static void copyEnv(Path root, Path dir) throws IOException {
        Path env = dir.resolve(".env");
        Files.copy(root.resolve("examples/demo/.env.example"), env);
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
    }

    /** Host ports chosen by Docker, so nothing collides with other stacks on this engine. */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PROXY_PORT", "0");
        env.put("WEB_PORT", "0");
        return env;
    }

    String project() {
        return project;
    }

    Path dir() {
        return dir;
    }

    Path composeFile() {
        return stack.composeFile();
    }

    Stack stack() {
        return stack;
    }

    ComposeProject load() {
        return stack.load();
    }

    /** The bot's own up of every service. */
    void up() {
        docker.up(load(), load().services().keySet(), true, OutputSink.NONE, Duration.ofMinutes(2));
    }

    /** The service containers (not one-offs) by service. */
    Map<String, ServiceContainer> services() {
        Map<String, ServiceContainer> out = new LinkedHashMap<>();
        for (ServiceContainer c : docker.ps(load())) {
            if (!c.oneOff()) out.put(c.service(), c);
        }
        return out;
    }

    /** Waits until every service with a healthcheck is healthy and the others run. */
    void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, ServiceContainer> now = services();
            boolean ready = now.keySet().containsAll(load().services().keySet()) && now.values().stream()
                    .allMatch(c -> c.running() && (c.health().isEmpty() || c.health().equals("healthy")));
            if (ready) return;
            if (System.nanoTime() > deadline) throw new IllegalStateException(project + " not healthy within " + timeout + ": " + now);
            Thread.sleep(100);
        }
    }

    /** Removes the project's containers, networks and volumes: only what carries its name. */
    @Override
    public void close() {
        if (!OPEN.remove(this)) return;
        try {
            docker.down(load(), true, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            System.err.println("bench: could not remove compose project " + project + ": " + e.getMessage());
        }
    }
}
