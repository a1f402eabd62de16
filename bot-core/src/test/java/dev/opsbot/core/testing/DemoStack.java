package dev.opsbot.core.testing;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.stream.OutputSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A private copy of the demo stack for one test: its own folder, its own compose project name
 * (so it touches nothing else on the engine), random host ports; {@link #close()} removes its
 * containers, network and volume and nothing else.
 */
public final class DemoStack implements AutoCloseable {
    public static final String GOOD = "sha-1a2b3c4";
    public static final String NEWER = "sha-5d6e7f8";
    public static final String BROKEN = "sha-badc0de";
    public static final String VERSION = "0.1.0";
    private static final String PROBE_IMAGE = "127.0.0.1:5000/opsbot-demo/backend:" + NEWER;

    private final DockerHost docker;
    private final Path dir;
    private final Stack stack;

    public DemoStack(DockerHost docker, Path parent) throws IOException, InterruptedException {
        this.docker = docker;
        ensureImages(docker);
        Path root = RepoRoot.get();
        this.dir = Files.createDirectories(parent.resolve("stack"));
        Files.copy(root.resolve("examples/demo/docker-compose.yml"), dir.resolve("docker-compose.yml"));
        Path env = dir.resolve(".env");
        Files.copy(root.resolve("examples/demo/.env.example"), env);
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
        String project = "opsbot-test-" + UUID.randomUUID().toString().substring(0, 8);
        this.stack = new Stack("demo", dir.resolve("docker-compose.yml"), project, Map.of("PROXY_PORT", "0", "WEB_PORT", "0"));
    }

    /** Builds the demo images with the project's own script when they are missing. */
    public static synchronized void ensureImages(DockerHost docker) throws IOException, InterruptedException {
        if (docker.imageExists(PROBE_IMAGE)) return;
        Process p = new ProcessBuilder("bash", RepoRoot.get().resolve("examples/demo/build-images.sh").toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("examples/demo/build-images.sh failed:\n" + output);
        }
    }

    public Stack stack() {
        return stack;
    }

    public Path composeFile() {
        return stack.composeFile();
    }

    public ComposeProject project() {
        return stack.load();
    }

    public String composeText() throws IOException {
        return Files.readString(composeFile());
    }

    /** The stack's service containers (not one-offs) by service. */
    public Map<String, ServiceContainer> services() {
        return docker.ps(project()).stream().filter(c -> !c.oneOff())
                .collect(java.util.stream.Collectors.toMap(ServiceContainer::service, c -> c));
    }

    public List<ServiceContainer> all() {
        return docker.ps(project());
    }

    /** The migration revision recorded in the stack's database volume. */
    public String revision() {
        StringBuilder out = new StringBuilder();
        int code = docker.runOneOff(project(), "backend", List.of("alembic", "current"), out::append, Duration.ofSeconds(30));
        if (code != 0) throw new IllegalStateException("alembic current exited " + code + ": " + out);
        // stderr's "INFO …" context lines interleave with stdout's "2" or "2 (head)".
        return out.toString().lines().map(String::strip).filter(l -> l.matches("\\d+.*"))
                .map(l -> l.split("\\s+")[0]).findFirst()
                .orElseThrow(() -> new IllegalStateException("alembic current printed no revision: " + out));
    }

    /** Brings the stack up at the pinned tag with its schema migrated, as a deployed stack would be. */
    public void upAndMigrate() {
        int code = docker.runOneOff(project(), "backend", List.of("alembic", "upgrade", "head"), OutputSink.NONE, Duration.ofSeconds(60));
        if (code != 0) throw new IllegalStateException("alembic upgrade head exited " + code);
        docker.up(project(), project().services().keySet(), true, OutputSink.NONE, Duration.ofMinutes(2));
    }

    public DockerHost docker() {
        return docker;
    }

    /**
     * Recreates {@code service} from {@code tag} behind the bot's back, as a person with another copy
     * of the compose file would ({@code docker compose up -d service} there): same project, the
     * stack's own file untouched, so the file and what runs now disagree.
     */
    public void startBehindTheBotsBack(String service, String tag) throws IOException {
        Path other = Files.createDirectories(dir.getParent().resolve("another-copy"));
        Files.copy(composeFile(), other.resolve("docker-compose.yml"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve(".env"), other.resolve(".env"), StandardCopyOption.REPLACE_EXISTING);
        new ImagePinner().pinFile(other.resolve("docker-compose.yml"), Map.of(service, tag));
        Stack copy = new Stack(stack.name(), other.resolve("docker-compose.yml"), stack.project(), stack.environment());
        docker.up(copy.load(), List.of(service), false, OutputSink.NONE, Duration.ofMinutes(1));
    }

    @Override
    public void close() {
        docker.down(project(), true, Duration.ofSeconds(30));
    }
}
