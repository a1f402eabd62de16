package dev.opsbot.bench;

import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.secrets.EnvSecrets;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.RecordingChatPort;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Deploy wall time: the bot deploys a new tag of all four demo services (the runbook
 * {@code bench/runbooks/bench-deploy.yml}: pull, pin, up, wait until healthy, check through the
 * proxy) against Debian's docker-compose 1.29 doing {@code pull} and {@code up -d} with the
 * same file and tags. Each side has its own compose project; they alternate.
 */
final class DeployScenario implements Scenario {
    private static final List<String> SERVICES = List.of("proxy", "backend", "worker", "web");

    @Override
    public String id() {
        return "deploy";
    }

    @Override
    public String title() {
        return "Deploy wall time of a new tag of the 4-service demo stack, the bot against docker-compose";
    }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        Figure bot = results.figure(id(), "bot: confirm to health verified", "s");
        Figure cli = results.figure(id(), "docker-compose pull + up -d", "s");
        Figure ratio = results.figure(id(), "bot / docker-compose", "", "<= 1.0", v -> v <= 1.0);
        Figure cliHealthy = results.figure(id(), "docker-compose pull + up -d + until Docker says healthy", "s");
        Figure ratioHealthy = results.figure(id(), "bot / (docker-compose until healthy)", "");
        Path dir = ctx.folder("deploy");
        try (BenchStack botStack = BenchStack.demo(ctx.docker(), dir, "deploy-bot");
             BenchStack cliStack = BenchStack.demo(ctx.docker(), dir, "deploy-cli");
             Database db = Database.open(dir.resolve("data/opsbot"))) {
            RecordingChatPort port = new RecordingChatPort(new ChatLimits(3000, 2900, Duration.ofSeconds(1)));
            Redactor redactor = new Redactor(new EnvSecrets(List.of(botStack.dir().resolve(".env"))));
            try (Bot b = new Bot(new BotSettings(botStack.stack(), BotEnv.benchRunbooks(), dir.resolve("data/logs"),
                    Duration.ofMinutes(10), null, AccessPolicy.openToAll()), ctx.docker(), db, redactor, Clock.systemUTC())) {
                b.register(port);
                b.start();
                botStack.up();
                compose(cliStack, "up", "-d");
                botStack.awaitHealthy(Duration.ofMinutes(2));
                cliStack.awaitHealthy(Duration.ofMinutes(2));
                // One untimed round first: the bot's code and the CLI's files are then warm, as on a host that deploys.
                for (int run = 0; run <= ctx.options().runs(); run++) {
                    String tag = run % 2 == 0 ? DemoStack.NEWER : DemoStack.GOOD;
                    double botSeconds;
                    double[] cliSeconds;
                    if (run % 2 == 0) {
                        botSeconds = botDeploy(b, port, tag);
                        cliSeconds = cliDeploy(cliStack, tag);
                    } else {
                        cliSeconds = cliDeploy(cliStack, tag);
                        botSeconds = botDeploy(b, port, tag);
                    }
                    ctx.say("bot steps: " + steps(db));
                    if (run == 0) continue;
                    bot.add(botSeconds);
                    cli.add(cliSeconds[0]);
                    cliHealthy.add(cliSeconds[1]);
                    ratio.add(botSeconds / cliSeconds[0]);
                    ratioHealthy.add(botSeconds / cliSeconds[1]);
                    ctx.say(String.format(Locale.ROOT, "run %d (to %s): bot %.2f s; docker-compose %.2f s, healthy after %.2f s; ratio %.2f",
                            run, tag, botSeconds, cliSeconds[0], cliSeconds[1], botSeconds / cliSeconds[0]));
                }
            } finally {
                compose(cliStack, "down", "-v");
            }
        }
        results.note(id(), "The bot runs in the harness's JVM on its own H2 file and a recording chat port; it is timed from the "
                + "press of Confirm to the live message reading Succeeded (pull, pin, up, Docker health of all four services, "
                + "then /api/v1/health through the proxy). docker-compose is timed from `pull` to the end of `up -d`; the figure "
                + "with `until Docker says healthy` adds polling every 100 ms until every healthcheck passes. Images are already "
                + "on the host, so pulls only ask the local registry. One untimed round runs first; the order alternates.");
    }

    /** How long each step of the bot's last run took, from its run records. */
    private static String steps(Database db) {
        return db.withConnection(c -> {
            StringBuilder out = new StringBuilder();
            try (var s = c.createStatement(); var rs = s.executeQuery(
                    "SELECT name, started_at, ended_at FROM run_steps WHERE run_id = (SELECT MAX(run_id) FROM run_steps) ORDER BY idx")) {
                while (rs.next()) {
                    var a = rs.getTimestamp(2).toInstant();
                    var b = rs.getTimestamp(3) == null ? a : rs.getTimestamp(3).toInstant();
                    String name = rs.getString(1);
                    out.append(out.length() == 0 ? "" : ", ").append(name.split(" ")[0]).append(' ')
                            .append(String.format(Locale.ROOT, "%.2f s", Duration.between(a, b).toMillis() / 1000.0));
                }
            }
            return out.toString();
        });
    }

    private static double botDeploy(Bot bot, RecordingChatPort port, String tag) throws InterruptedException {
        Origin origin = new Origin(RecordingChatPort.CHANNEL, new UserRef(RecordingChatPort.PLATFORM, "bench", "bench", java.util.Set.of()));
        int from = port.size();
        bot.onCommand(origin, "bench-deploy " + tag);
        RecordingChatPort.Event ask = port.await(from, e -> e.message() != null && !e.message().buttons().isEmpty(), Duration.ofSeconds(30));
        Button confirm = ask.message().buttons().stream().filter(x -> x.label().equals("Confirm")).findFirst().orElseThrow();
        int pressed = port.size();
        long start = System.nanoTime();
        bot.onPress(origin, confirm.token(), ask.ref());
        RecordingChatPort.Event live = port.await(pressed, e -> e.kind().equals("post") && e.message().title().contains("(run #"),
                Duration.ofSeconds(30));
        Message done = port.awaitState(live.ref(), m -> !m.title().startsWith("Running"), Duration.ofMinutes(5));
        long end = System.nanoTime();
        if (!done.title().startsWith("Succeeded")) throw new IllegalStateException("the bot's deploy did not succeed:\n" + done.plainText());
        bot.engine().awaitIdle(Duration.ofSeconds(30));
        return (end - start) / 1e9;
    }

    /** Pins the file (not timed, as a person edits it first), then pull and up -d, then until healthy. */
    private static double[] cliDeploy(BenchStack stack, String tag) throws InterruptedException {
        Map<String, String> tags = new LinkedHashMap<>();
        SERVICES.forEach(s -> tags.put(s, tag));
        new ImagePinner().pinFile(stack.composeFile(), tags);
        long start = System.nanoTime();
        compose(stack, "pull");
        compose(stack, "up", "-d");
        long up = System.nanoTime();
        stack.awaitHealthy(Duration.ofMinutes(2));
        long healthy = System.nanoTime();
        return new double[] {(up - start) / 1e9, (healthy - start) / 1e9};
    }

    private static void compose(BenchStack stack, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("docker-compose", "-p", stack.project(), "-f",
                stack.composeFile().toString()));
        command.addAll(List.of(args));
        Commands.check(command, stack.dir(), BenchStack.environment(), Duration.ofMinutes(5));
    }
}
