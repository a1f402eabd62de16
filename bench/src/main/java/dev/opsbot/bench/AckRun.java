package dev.opsbot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One fresh bot under the command load over one path: warmed up, then each rate in turn, the
 * answers of one rate awaited before the next. {@code root} is the checkout whose {@code ./opsbot}
 * runs (null: this one).
 */
final class AckRun {
    /** Stop waiting for answers when none came for this long. */
    private static final long QUIET_NANOS = Duration.ofSeconds(20).toNanos();

    private final Context ctx;
    private final BenchStack stack;
    private final int run;
    private final InboundPath path;
    private final Path root;
    private final String name;
    private final Map<Integer, AckFigures> figures;
    private final Results results;

    AckRun(Context ctx, BenchStack stack, int run, InboundPath path, Path root, String name, Map<Integer, AckFigures> figures,
           Results results) {
        this.ctx = ctx;
        this.stack = stack;
        this.run = run;
        this.path = path;
        this.root = root;
        this.name = name;
        this.figures = figures;
        this.results = results;
    }

    private record Load(OpenLoop.Outcome outcome, double[] answerMs, int answered) { }

    void measure(Duration warmup, int warmupRate) throws Exception {
        Path dir = ctx.folder("acks-run" + run + "-" + path.id() + (root == null ? "" : "-baseline"));
        Path runbooks = root == null ? BotEnv.repoRunbooks() : root.resolve("runbooks");
        Map<String, String> env = new LinkedHashMap<>(BotEnv.stack(stack, dir.resolve("data"), runbooks));
        env.putAll(path.environment());
        Path recording = profiling() ? Path.of(System.getenv("BENCH_JFR")).resolve(dir.getFileName() + ".jfr") : null;
        if (recording != null) {
            env.putAll(BotEnv.javaOpts("-XX:StartFlightRecording=filename=" + recording + ",settings=" + jfrSettings() + ",dumponexit=true"));
        }
        Map<Integer, Instant[]> windows = new LinkedHashMap<>();
        Path log = dir.resolve("bot.log");
        try (BotProcess bot = root == null ? BotProcess.start(List.of("run"), env, log)
                : BotProcess.start(root, List.of("run"), env, log, BotProcess.READY)) {
            bot.awaitReady(Duration.ofSeconds(120));
            path.awaitConnected();
            Answers answers = new Answers();
            load(answers, warmupRate, warmup, "w" + run);
            for (Map.Entry<Integer, AckFigures> e : figures.entrySet()) {
                int rate = e.getKey();
                double botCpu = CpuMeter.seconds(bot.pid());
                double dockerCpu = CpuMeter.docker();
                Map<String, Double> threadCpu = CpuMeter.threads(bot.pid());
                Instant from = Instant.now();
                Load l = load(answers, rate, Duration.ofSeconds(ctx.options().ackSeconds()), "r" + run + "x" + rate);
                botCpu = CpuMeter.seconds(bot.pid()) - botCpu;
                dockerCpu = CpuMeter.docker() - dockerCpu;
                windows.put(rate, new Instant[] {from, Instant.now()});
                record(e.getValue(), rate, l, botCpu, dockerCpu);
                if (System.getenv("BENCH_DEBUG") != null) sayThreads(bot, threadCpu, l.outcome().sent());
            }
        }
        if (recording != null) sayProfile(recording, windows);
    }

    /** BENCH_JFR=folder: each bot records itself with Flight Recorder there, and its CPU is told by activity per rate. */
    private static boolean profiling() {
        return System.getenv("BENCH_JFR") != null;
    }

    /** BENCH_JFR_SETTINGS=file.jfc: Flight Recorder's settings for the recording (default: the JDK's "profile"). */
    private static String jfrSettings() {
        String settings = System.getenv("BENCH_JFR_SETTINGS");
        return settings == null || settings.isBlank() ? "profile" : settings;
    }

    private void sayProfile(Path recording, Map<Integer, Instant[]> windows) throws IOException {
        if (!Files.exists(recording)) {
            // the launcher's first start after a build makes its class-data archive, and the JVM then records nothing
            ctx.say("no recording of " + name + " in run " + run + " (a first start after a build, which disables Flight Recorder)");
            return;
        }
        for (Map.Entry<Integer, Instant[]> w : windows.entrySet()) {
            CpuProfile p = CpuProfile.read(recording, w.getValue()[0], w.getValue()[1]);
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "profile of %s at %d req/s (%d samples, %s):",
                    name, w.getKey(), p.samples(), recording.getFileName()));
            p.shares().forEach((activity, share) -> {
                if (share >= 0.005) b.append(String.format(Locale.ROOT, " %s %.0f %%;", activity, 100 * share));
            });
            ctx.say(b.toString());
        }
    }

    private void record(AckFigures f, int rate, Load l, double botCpu, double dockerCpu) {
        OpenLoop.Outcome o = l.outcome();
        double cpuPerAnswered = l.answered() == 0 ? Double.NaN : botCpu * 1000 / l.answered();
        double answerP99 = Stats.percentile(l.answerMs(), 99);
        f.ackP50().add(o.p(50));
        f.ackP99().add(o.p(99));
        f.errors().add(o.errors());
        f.answerP99().add(answerP99);
        f.answered().add(100.0 * l.answered() / o.sent());
        f.busy().add(100.0 * o.busy() / o.sent());
        f.botCpu().add(cpuPerAnswered);
        f.dockerCpu().add(dockerCpu * 1000 / o.sent());
        ctx.say(String.format(Locale.ROOT,
                "run %d, %s, %d req/s: ack p50 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d; answered %d/%d, busy %d, answer p99 %.0f ms; "
                        + "send lag max %.1f ms; CPU per answered command bot %.2f ms, docker %.2f ms; load average %s",
                run, name, rate, o.p(50), o.p(99), o.max(), o.errors(), l.answered(), o.sent(), o.busy(), answerP99,
                o.maxSendLagMs(), cpuPerAnswered, dockerCpu * 1000 / o.sent(), Machine.loadNow()));
        if (o.maxSendLagMs() > 5) {
            results.note("acks", String.format(Locale.ROOT, "run %d, %s at %d req/s: the load generator sent up to %.1f ms late "
                    + "(counted in the latency).", run, name, rate, o.maxSendLagMs()));
        }
    }

    private void sayThreads(BotProcess bot, Map<String, Double> before, int commands) {
        Map<String, Double> after = CpuMeter.threads(bot.pid());
        StringBuilder t = new StringBuilder("bot CPU by thread (ms per command):");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> t.append(String.format(Locale.ROOT, " %s %.2f;", e.getKey(), e.getValue() * 1000 / commands)));
        ctx.say(t.toString());
    }

    /** Sends one rate's load and waits for the answers; keys tie each answer to its command. */
    private Load load(Answers answers, int rate, Duration window, String tag) throws Exception {
        int n = (int) (rate * window.toMillis() / 1000);
        Acks acks = new Acks(n);
        answers.expect(tag, n);
        path.prepare(answers, acks, n);
        OpenLoop.Outcome o = OpenLoop.run(rate, path, acks);
        // Wait until every command not turned away as busy was answered, or nothing more came for a while.
        long lastProgress = System.nanoTime();
        int seen = -1;
        while (answers.count() < n - o.busy() && System.nanoTime() - lastProgress < QUIET_NANOS) {
            path.refresh();
            int c = answers.count();
            if (c != seen) {
                seen = c;
                lastProgress = System.nanoTime();
            }
            Thread.sleep(50);
        }
        path.refresh();
        double[] ms = AckScenario.answerMillis(answers, acks);
        return new Load(o, ms, ms.length);
    }
}
