package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.app.telemetry.BuildInfo;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image, built as CI builds it (no registry, no internet): on a Java runtime made
 * from this machine's JDK ({@code packaging/local-base.sh}), from the tarball of this build. Run
 * with the host's Docker socket and the stack's folder mounted at the same path, driven through
 * standard input, it deploys the demo tag and its health check turns healthy. Stopped with
 * {@code docker stop} (its default timeout, the bot's default grace) in the middle of a deploy,
 * it lets the step end and stops the run before its next step; started again on the same
 * volume, it reports the run at that step and resumes it there. It prints the image's size, the
 * start-up time, the idle memory of the bot in it and how long the stop took.
 */
class ImageIT {
    private static final String BASE = "opsbot-base:local";
    private static final Path SOCKET = Path.of("/var/run/docker.sock");
    /** The image's user (packaging/Dockerfile). */
    private static final String IMAGE_USER = "10001:10001";
    /** A deploy whose second step takes a few seconds: long enough to stop the bot in it, short enough for the grace. */
    private static final String SLOW_DEPLOY = """
            name: slowdeploy
            summary: a deploy with a slow migration
            mutates: true
            params:
              - {name: tag, kind: tag}
            steps:
              - pin: {services: [backend, worker], tag: "${tag}"}
              - run: {service: backend, command: [sleep, "3"]}
                title: slow migration
              - up: {}
              - wait-healthy: {services: [backend]}
                timeout: 60s
            """;
    private static final String RUNBOOKS_INSIDE = "/opt/opsbot-test-runbooks";

    private static TarballIT.Result run(List<String> command, long seconds) throws IOException, InterruptedException {
        TarballIT.Result r = TarballIT.run(command, RepoRoot.get(), Map.of(), seconds);
        assertEquals(0, r.code(), command + ":\n" + r.output());
        return r;
    }

    private static void quietly(List<String> command) {
        try {
            TarballIT.run(command, RepoRoot.get(), Map.of(), 60);
        } catch (Exception | AssertionError e) {
            // cleaning up what may not exist
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String inspect(String container, String format) throws IOException, InterruptedException {
        return run(List.of("docker", "inspect", "-f", format, container), 30).output().strip();
    }

    private static void awaitHealth(String container, String status, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last;
        do {
            last = inspect(container, "{{.State.Health.Status}}");
            if (last.equals(status)) return;
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(container + " is " + last + ", not " + status + ", after " + seconds + " s: "
                + inspect(container, "{{json .State.Health.Log}}"));
    }

    @Test
    @Timeout(900)
    void theImageDeploysTheDemoTagThroughTheMountedSocketAndTurnsHealthy(@TempDir Path work) throws Exception {
        DockerEngine docker = DockerSupport.connect();
        String name = "opsbot-it-" + UUID.randomUUID().toString().substring(0, 8);
        String image = name + ":test";
        String volume = name + "-data";
        try (DemoStack stack = new DemoStack(docker.host(), work)) {
            stack.upAndMigrate();
            long building = System.nanoTime();
            run(List.of("bash", "packaging/local-base.sh", BASE), 300);
            Path tarball = Path.of("target", "opsbot-" + BuildInfo.read().version() + ".tar.gz").toAbsolutePath();
            run(List.of("bash", "packaging/image.sh", "--tarball", tarball.toString(), "--base", BASE, "--tag", image), 300);
            long buildMillis = (System.nanoTime() - building) / 1_000_000;
            long size = Long.parseLong(run(List.of("docker", "image", "inspect", "-f", "{{.Size}}", image), 30).output().strip());

            // The bot edits the compose file and reads .env as the image's user, as it would on a host.
            Path stackDir = stack.composeFile().getParent();
            List<String> user = new ArrayList<>();
            if (run(List.of("id", "-u"), 10).output().strip().equals("0")) {
                run(List.of("chown", "-R", IMAGE_USER, stackDir.toString()), 30);
            } else {
                user = List.of("--user", run(List.of("id", "-u"), 10).output().strip() + ":" + run(List.of("id", "-g"), 10).output().strip());
            }
            int port = freePort();
            List<String> dockerRun = new ArrayList<>(List.of("docker", "run", "-i",
                    // The deploy's health check asks the stack's published ports at 127.0.0.1: the host's.
                    "--network", "host",
                    "--group-add", String.valueOf(Files.getAttribute(SOCKET, "unix:gid")),
                    "-v", SOCKET + ":" + SOCKET,
                    // Relative bind mounts of the compose file resolve on the host: the same path inside.
                    "-v", stackDir + ":" + stackDir,
                    "-v", volume + ":/var/lib/opsbot",
                    "-e", "OPSBOT_COMPOSE_FILE=" + stack.composeFile(),
                    "-e", "OPSBOT_PROJECT=" + stack.project().name(),
                    "-e", "OPSBOT_STACK=demo",
                    "-e", "OPSBOT_MANAGEMENT_PORT=" + port,
                    "-e", "PROXY_PORT=0",
                    "-e", "WEB_PORT=0",
                    "--health-interval", "2s"));
            dockerRun.addAll(user);

            List<String> first = new ArrayList<>(dockerRun);
            first.addAll(List.of("--name", name + "-1", image, "console", "--as", "alice"));
            long started = System.nanoTime();
            long firstStartMillis;
            try (RestartMidRunTest.BotProcess bot = new RestartMidRunTest.BotProcess(first, Map.of())) {
                bot.await("End with Ctrl-D", 120);
                firstStartMillis = (System.nanoTime() - started) / 1_000_000;
                bot.type("/ops deploy " + DemoStack.NEWER);
                bot.await("[1] Confirm", 60);
                bot.type("1");
                bot.await("✅ Succeeded: deploy " + DemoStack.NEWER, 240);
                awaitHealth(name + "-1", "healthy", 90);
                bot.stdin.close();
                assertTrue(bot.process.waitFor(60, TimeUnit.SECONDS), bot.text());
                assertEquals(0, bot.process.exitValue(), bot.text());
            }
            Map<String, ServiceContainer> running = stack.services();
            for (String service : List.of("backend", "worker")) {
                assertTrue(running.get(service).image().endsWith(":" + DemoStack.NEWER), running.toString());
            }

            // Started again on the same data volume: the class-data archive of the first start is used.
            // It also serves a slow deploy, to be stopped in the middle.
            Path runbooks = Files.createDirectories(work.resolve("runbooks"));
            Files.writeString(runbooks.resolve("slowdeploy.yml"), SLOW_DEPLOY);
            dockerRun.addAll(List.of("-v", runbooks + ":" + RUNBOOKS_INSIDE + ":ro", "-e", "OPSBOT_RUNBOOKS=" + RUNBOOKS_INSIDE));
            List<String> second = new ArrayList<>(dockerRun);
            second.addAll(List.of("--name", name + "-2", image, "console", "--as", "alice"));
            started = System.nanoTime();
            long secondStartMillis;
            long stopMillis;
            String rss = "not readable";
            try (RestartMidRunTest.BotProcess bot = new RestartMidRunTest.BotProcess(second, Map.of())) {
                bot.await("End with Ctrl-D", 120);
                secondStartMillis = (System.nanoTime() - started) / 1_000_000;
                Thread.sleep(5000);
                Path status = Path.of("/proc", inspect(name + "-2", "{{.State.Pid}}"), "status");
                if (Files.isReadable(status)) {
                    rss = Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:")).findFirst().orElse(rss);
                }

                bot.type("/ops slowdeploy " + DemoStack.NEWER);
                bot.await("[1] Confirm", 60);
                bot.type("1");
                bot.await("Step: 2/4 slow migration", 120);
                long stopping = System.nanoTime();
                run(List.of("docker", "stop", name + "-2"), 60);
                stopMillis = (System.nanoTime() - stopping) / 1_000_000;
                assertTrue(bot.process.waitFor(30, TimeUnit.SECONDS), bot.text());
                bot.await("opsbot stopped for a restart before step 3/4 (up", 10);
                assertEquals(143, bot.process.exitValue(), "ended by SIGTERM within docker's stop timeout, not killed:\n" + bot.text());
            }

            List<String> third = new ArrayList<>(dockerRun);
            third.addAll(List.of("--name", name + "-3", image, "console", "--as", "alice"));
            try (RestartMidRunTest.BotProcess bot = new RestartMidRunTest.BotProcess(third, Map.of())) {
                bot.await("[1] Resume at step 3", 120);
                assertTrue(bot.text().contains("Run #2 (slowdeploy " + DemoStack.NEWER + ", requested by alice) was interrupted by a restart "
                        + "during step 3/4 (up"), bot.text());
                bot.type("1");
                bot.await("Succeeded: slowdeploy " + DemoStack.NEWER + " (run #3)", 240);
                bot.await("resuming at step 3/4 of interrupted run #2", 10);
                bot.stdin.close();
                assertTrue(bot.process.waitFor(60, TimeUnit.SECONDS), bot.text());
                assertEquals(0, bot.process.exitValue(), bot.text());
            }
            System.out.printf("ImageIT: image %s on %s: %.0f MiB (base and image built in %d ms); docker run to console ready: "
                            + "%d ms first start, %d ms with the class-data archive; idle bot %s; docker stop mid-step %d ms%n",
                    image, BASE, size / 1048576.0, buildMillis, firstStartMillis, secondStartMillis, rss.replaceAll("\\s+", " "),
                    stopMillis);
        } finally {
            quietly(List.of("docker", "rm", "-f", name + "-1", name + "-2", name + "-3"));
            quietly(List.of("docker", "rmi", image));
            quietly(List.of("docker", "volume", "rm", volume));
            docker.close();
        }
    }
}
