package dev.opsbot.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Start-up: {@code ./opsbot} from process start until it says it is ready (database open,
 * runbooks loaded, Docker answered, adapters connected), then resident memory after it has
 * been idle a few seconds. Without chat adapters (the console) and with both (Slack in HTTP
 * mode and Discord, each against a local fake).
 */
final class StartupScenario implements Scenario {
    private static final Pattern CONSOLE_READY = Pattern.compile("Type /ops help");
    private static final Duration IDLE = Duration.ofSeconds(5);

    @Override
    public String id() {
        return "startup";
    }

    @Override
    public String title() {
        return "Start-up time and idle memory, without and with the chat adapters";
    }

    private record Variant(String name, List<String> args, Pattern ready, boolean slack, boolean discord) { }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        List<Variant> variants = List.of(
                new Variant("no chat adapter (console)", List.of("console", "--as", "bench"), CONSOLE_READY, false, false),
                new Variant("Slack and Discord (run)", List.of("run"), BotProcess.READY, true, true));
        try (BenchStack stack = BenchStack.demo(ctx.docker(), ctx.folder("startup"), "startup");
             FakeSlackApi slack = new FakeSlackApi(ctx.folder("startup-slack"));
             FakeDiscordApi discord = new FakeDiscordApi()) {
            for (Variant v : variants) {
                Figure ready = results.figure(id(), "start to ready, " + v.name(), "ms", "< 3000 ms", x -> x < 3000);
                Figure rss = results.figure(id(), "idle resident memory, " + v.name(), "MiB", "< 256 MiB", x -> x < 256);
                Path data = ctx.folder("startup-data");
                for (int run = 0; run <= ctx.options().runs(); run++) {
                    Map<String, String> env = new LinkedHashMap<>(BotEnv.stack(stack, data, BotEnv.repoRunbooks()));
                    if (v.slack()) env.putAll(BotEnv.slack(slack, UUID.randomUUID().toString(), AckScenario.freePort()));
                    if (v.discord()) env.putAll(discord.environment());
                    try (BotProcess bot = BotProcess.start(v.args(), env, ctx.folder("startup-log").resolve("bot.log"), v.ready())) {
                        Duration took = bot.awaitReady(Duration.ofSeconds(60));
                        Thread.sleep(IDLE.toMillis());
                        double mib = bot.rssMiB();
                        // The first start creates the database and fills the file cache: not counted.
                        if (run == 0) continue;
                        ready.add(took.toMillis());
                        rss.add(mib);
                        ctx.say(String.format(java.util.Locale.ROOT, "%s, run %d: ready in %d ms%s, idle RSS %.0f MiB", v.name(), run,
                                took.toMillis(), bot.reportedMillis() >= 0 ? " (the bot says " + bot.reportedMillis() + " ms)" : "", mib));
                    }
                }
            }
        }
        results.note(id(), "Timed from starting `./opsbot` (the launcher script, which checks the build is current and "
                + "starts the JVM) to the line that says the bot is ready: `opsbot ready in N ms` for `run`, the prompt line "
                + "for the console. Each variant is started once untimed first (it creates the database), then "
                + "timed on an existing database, as after a restart. Resident memory (VmRSS) is read " + IDLE.toSeconds()
                + " s after ready, the bot idle.");
    }
}
