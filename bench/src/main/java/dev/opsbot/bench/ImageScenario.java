package dev.opsbot.bench;

import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The container image: its size, how long `docker run … console` takes to be ready, and the
 * bot's resident memory inside it when idle. The image is built from the release tarball on a
 * Java runtime made here with jlink (packaging/local-base.sh), as CI builds it: no base image
 * can be pulled on this machine.
 */
final class ImageScenario implements Scenario {
    private static final Pattern CONSOLE_READY = Pattern.compile("End with Ctrl-D");
    private static final String BASE = "opsbot-base:local";
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Path SOCKET = Path.of("/var/run/docker.sock");

    @Override
    public String id() {
        return "image";
    }

    @Override
    public String title() {
        return "The container image: size, start-up to ready, idle memory";
    }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        Path root = RepoRoot.get();
        String name = BenchStack.PREFIX + "image-" + UUID.randomUUID().toString().substring(0, 8);
        String image = name + ":bench";
        String volume = name + "-data";
        Commands.check(List.of(root.resolve("opsbot").toString(), "dist"), root, Map.of(), Duration.ofMinutes(10));
        Path tarball;
        try (var files = Files.list(root.resolve("dist"))) {
            tarball = files.filter(p -> p.getFileName().toString().endsWith(".tar.gz")).max((a, b) -> a.toString().compareTo(b.toString()))
                    .orElseThrow(() -> new IllegalStateException("./opsbot dist made no tarball in dist/"));
        }
        Commands.check(List.of("bash", "packaging/local-base.sh", BASE), root, Map.of(), Duration.ofMinutes(10));
        Commands.check(List.of("bash", "packaging/image.sh", "--tarball", tarball.toString(), "--base", BASE, "--tag", image),
                root, Map.of(), Duration.ofMinutes(10));
        try (BenchStack stack = BenchStack.demo(ctx.docker(), ctx.folder("image"), "image")) {
            long bytes = Long.parseLong(Commands.check(List.of("docker", "image", "inspect", "-f", "{{.Size}}", image), null, Map.of(),
                    Duration.ofSeconds(30)).output().strip());
            long baseBytes = Long.parseLong(Commands.check(List.of("docker", "image", "inspect", "-f", "{{.Size}}", BASE), null, Map.of(),
                    Duration.ofSeconds(30)).output().strip());
            results.figure(id(), "image size", "MiB").add(bytes / 1048576.0);
            results.figure(id(), "of which the base (jlink runtime on busybox)", "MiB").add(baseBytes / 1048576.0);
            Figure ready = results.figure(id(), "docker run to console ready", "ms", "< 3000 ms", x -> x < 3000);
            Figure rss = results.figure(id(), "idle resident memory in the container", "MiB", "< 256 MiB", x -> x < 256);
            for (int run = 0; run <= ctx.options().runs(); run++) {
                String container = name + "-" + run;
                try (BotProcess bot = BotProcess.command(dockerRun(stack, container, image, volume), Map.of(),
                        ctx.folder("image-log").resolve("bot.log"), CONSOLE_READY)) {
                    Duration took = bot.awaitReady(Duration.ofMinutes(2));
                    Thread.sleep(IDLE.toMillis());
                    double mib = rssMiB(container);
                    try (OutputStream in = bot.stdin()) {
                        in.flush();
                    }
                    // The first start creates the database and the class-data archive on the volume: not counted.
                    if (run == 0) continue;
                    ready.add(took.toMillis());
                    rss.add(mib);
                    ctx.say(String.format(Locale.ROOT, "run %d: ready in %d ms, idle RSS %.0f MiB", run, took.toMillis(), mib));
                } finally {
                    Commands.run(List.of("docker", "rm", "-f", container), null, Map.of(), Duration.ofSeconds(30));
                }
            }
        } finally {
            Commands.run(List.of("docker", "image", "rm", "-f", image), null, Map.of(), Duration.ofSeconds(60));
            Commands.run(List.of("docker", "volume", "rm", "-f", volume), null, Map.of(), Duration.ofSeconds(30));
        }
        results.note(id(), "Built from `./opsbot dist` with `packaging/image.sh --base " + BASE + "` (the base made by "
                + "packaging/local-base.sh: a jlink runtime of this machine's JDK on busybox; the default base, eclipse-temurin:17-jre, "
                + "cannot be pulled here). Started as docs/install.md says: the Docker socket and the stack's folder mounted, data in a "
                + "volume, `console` with standard input open; timed from `docker run` to the console's prompt, the first start "
                + "(database and class-data archive made on the volume) not counted. Memory is VmRSS of the bot's process "
                + IDLE.toSeconds() + " s after ready.");
    }

    private static List<String> dockerRun(BenchStack stack, String container, String image, String volume) throws IOException {
        Path stackDir = stack.composeFile().getParent();
        List<String> command = new ArrayList<>(List.of("docker", "run", "-i", "--name", container, "--network", "host",
                "--group-add", String.valueOf(Files.getAttribute(SOCKET, "unix:gid")),
                "-v", SOCKET + ":" + SOCKET, "-v", stackDir + ":" + stackDir, "-v", volume + ":/var/lib/opsbot",
                "-e", "OPSBOT_COMPOSE_FILE=" + stack.composeFile(), "-e", "OPSBOT_PROJECT=" + stack.project(),
                "-e", "OPSBOT_STACK=bench", "-e", "OPSBOT_MANAGEMENT_PORT=0", "-e", "PROXY_PORT=0", "-e", "WEB_PORT=0"));
        // The image's user must read the stack's .env: run as the caller where the caller is not root.
        String uid = Commands.check(List.of("id", "-u"), null, Map.of(), Duration.ofSeconds(5)).output().strip();
        if (!uid.equals("0")) {
            command.addAll(List.of("--user", uid + ":" + Commands.check(List.of("id", "-g"), null, Map.of(), Duration.ofSeconds(5)).output().strip()));
        } else {
            Commands.check(List.of("chown", "-R", "10001:10001", stackDir.toString()), null, Map.of(), Duration.ofSeconds(30));
        }
        command.addAll(List.of(image, "console", "--as", "bench"));
        return command;
    }

    private static double rssMiB(String container) throws IOException {
        String pid = Commands.check(List.of("docker", "inspect", "-f", "{{.State.Pid}}", container), null, Map.of(), Duration.ofSeconds(20))
                .output().strip();
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
        throw new IOException("no VmRSS for the bot in " + container);
    }
}
