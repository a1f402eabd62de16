package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.app.telemetry.BuildInfo;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a new user gets it: the tarball the package phase built, unpacked outside the
 * source tree, started with {@code bin/opsbot console} on a Java runtime alone, deploys the
 * demo tag to a fresh copy of the demo stack.
 */
class TarballIT {

    /** The tarball of this build, unpacked into {@code dir}; its top folder. */
    static Path unpack(Path dir) throws IOException, InterruptedException {
        String version = BuildInfo.read().version();
        Path tarball = Path.of("target", "opsbot-" + version + ".tar.gz").toAbsolutePath();
        assertTrue(Files.isRegularFile(tarball), tarball + " is missing: the package phase builds it (mvn package)");
        run(List.of("tar", "-xzf", tarball.toString(), "-C", dir.toString()), dir, Map.of(), 60);
        return dir.resolve("opsbot-" + version);
    }

    /** Runs a command to its end; its exit code and everything it printed. */
    static Result run(List<String> command, Path dir, Map<String, String> env, long seconds) throws IOException, InterruptedException {
        return run(command, dir, env, null, seconds);
    }

    static Result run(List<String> command, Path dir, Map<String, String> env, Path stdin, long seconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("OPSBOT_") && !k.equals("OPSBOT_REQUIRE_DOCKER"));
        pb.environment().putAll(env);
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()) : ProcessBuilder.Redirect.from(stdin.toFile()));
        Path log = Files.createTempFile("opsbot-it", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not end within " + seconds + " s:\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    record Result(int code, String output) { }

    @Test
    @Timeout(300)
    void theUnpackedReleaseDeploysTheDemoTagWithAJavaRuntimeAlone(@TempDir Path install, @TempDir Path work) throws Exception {
        Path home = unpack(install);
        assertTrue(Files.isExecutable(home.resolve("bin/opsbot")), "bin/opsbot is executable");
        try (Stream<Path> files = Files.walk(home)) {
            List<Path> source = files.filter(f -> f.toString().endsWith(".java") || f.getFileName().toString().equals("pom.xml")).toList();
            assertEquals(List.of(), source, "no source and no Maven build in the release");
        }
        for (String shipped : List.of("runbooks/deploy.yml", "opsbot.example.yml", "systemd/opsbot.service", "examples/demo/docker-compose.yml")) {
            assertTrue(Files.isRegularFile(home.resolve(shipped)), shipped + " is in the release");
        }

        DockerEngine docker = DockerSupport.connect();
        try (DemoStack stack = new DemoStack(docker.host(), work)) {
            stack.upAndMigrate();
            Path script = Files.writeString(work.resolve("script.txt"), "/ops deploy " + DemoStack.NEWER + "\n1\n");
            Map<String, String> env = Map.of(
                    "JAVA_HOME", System.getProperty("java.home"),
                    "OPSBOT_COMPOSE_FILE", stack.composeFile().toString(),
                    "OPSBOT_PROJECT", stack.project().name(),
                    "OPSBOT_STACK", "demo",
                    "OPSBOT_DATA", work.resolve("data").toString(),
                    // Another bot on this host may hold the default port; this test does not need the listener.
                    "OPSBOT_MANAGEMENT_PORT", "0",
                    "PROXY_PORT", "0",
                    "WEB_PORT", "0");
            long started = System.nanoTime();
            Result console = run(List.of(home.resolve("bin/opsbot").toString(), "console", "--as", "alice"), work, env, script, 240);
            System.out.printf("TarballIT: console session with a deploy took %d ms%n", (System.nanoTime() - started) / 1_000_000);

            assertEquals(0, console.code(), console.output());
            assertTrue(console.output().contains("✅ Succeeded: deploy " + DemoStack.NEWER), console.output());
            Map<String, ServiceContainer> running = stack.services();
            for (String service : List.of("backend", "worker")) {
                assertTrue(running.get(service).image().endsWith(":" + DemoStack.NEWER), running.toString());
            }

            // --version comes with the command line's own branch: checked once it answers.
            Result version = run(List.of(home.resolve("bin/opsbot").toString(), "--version"), work, env, 60);
            if (version.code() == 0) assertTrue(version.output().contains(BuildInfo.read().version()), version.output());
        } finally {
            docker.close();
        }
    }
}
