package dev.opsbot.bench;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Command acknowledgement over Slack's HTTP mode: {@code ./opsbot run} with the Slack adapter
 * against a local Web API, and signed {@code /ops help} and {@code /ops ps} (alternating) sent
 * open-loop at each rate. Every request is a different person in a different channel, so no
 * rate limit refuses anything and every command does its real work (a Docker query, a message
 * posted, an ephemeral answer, audit rows) while the next ones arrive.
 */
final class AckScenario implements Scenario {
    
    private static final int WARMUP_RATE = 50;

    @Override
    public String id() {
        return "acks";
    }

    @Override
    public String title() {
        return "Command acknowledgement over Slack's HTTP mode under open-loop load";
    }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        Duration window = Duration.ofSeconds(ctx.options().ackSeconds());
        Map<Integer, Figure[]> figures = new LinkedHashMap<>();
        for (int rate : ctx.options().ackRates()) {
            String r = rate + " req/s";
            figures.put(rate, new Figure[] {
                    results.figure(id(), "ack p50 at " + r, "ms"),
                    rate == 200 ? results.figure(id(), "ack p99 at " + r, "ms", "< 25 ms", v -> v < 25)
                            : results.figure(id(), "ack p99 at " + r, "ms"),
                    results.figure(id(), "ack max at " + r, "ms"),
                    results.figure(id(), "errors at " + r + " (failed or over 3 s)", "", "0", v -> v == 0),
                    results.figure(id(), "answer p50 at " + r + " (command to answer in chat)", "ms"),
                    results.figure(id(), "answer p99 at " + r, "ms"),
                    results.figure(id(), "answered at " + r, "%"),
                    results.figure(id(), "answered busy in the acknowledgement at " + r, "%"),
                    results.figure(id(), "bot CPU per command at " + r + " (ack and work)", "ms"),
                    results.figure(id(), "Docker CPU per command at " + r, "ms"),
            });
        }
        try (BenchStack stack = BenchStack.demo(ctx.docker(), ctx.folder("acks"), "acks")) {
            stack.up();
            for (int run = 1; run <= ctx.options().longRuns(); run++) {
                oneRun(ctx, stack, run, window, figures, results);
            }
        }
        results.note(id(), "Each run is a fresh `./opsbot run` (Slack HTTP mode, the repository's runbooks, a copy of the demo stack "
                + "running), warmed up with " + WARMUP_RATE + " req/s for " + warmup(ctx).toSeconds() + " s, then "
                + window.toSeconds() + " s at each rate in turn; between rates the harness waits until every command was answered.");
    }

    private static Duration warmup(Context ctx) {
        return Duration.ofSeconds(ctx.options().quick() ? 1 : 5);
    }

    private void oneRun(Context ctx, BenchStack stack, int run, Duration window, Map<Integer, Figure[]> figures,
                        Results results) throws Exception {
        Path dir = ctx.folder("acks-run" + run);
        String secret = UUID.randomUUID().toString().replace("-", "");
        int port = freePort();
        try (FakeSlackApi slack = new FakeSlackApi(dir.resolve("uploads"))) {
            Answers answers = new Answers();
            slack.onCall(answers::record);
            Map<String, String> env = new LinkedHashMap<>(BotEnv.stack(stack, dir.resolve("data"), BotEnv.repoRunbooks()));
            env.putAll(BotEnv.slack(slack, secret, port));
            try (BotProcess bot = BotProcess.start(List.of("run"), env, dir.resolve("bot.log"))) {
                bot.awaitReady(Duration.ofSeconds(60));
                SlackRequests signer = new SlackRequests(port, secret);
                HttpClient client = OpenLoop.client();
                // warm-up, not counted
                load(ctx, client, signer, slack, answers, WARMUP_RATE, warmup(ctx), "w" + run);
                for (int rate : ctx.options().ackRates()) {
                    double botCpu = CpuMeter.seconds(bot.pid());
                    double dockerCpu = CpuMeter.docker();
                    Map<String, Double> threadCpu = CpuMeter.threads(bot.pid());
                    Load l = load(ctx, client, signer, slack, answers, rate, window, "r" + run + "x" + rate);
                    botCpu = CpuMeter.seconds(bot.pid()) - botCpu;
                    dockerCpu = CpuMeter.docker() - dockerCpu;
                    OpenLoop.Outcome o = l.outcome;
                    Figure[] f = figures.get(rate);
                    f[0].add(o.p(50));
                    f[1].add(o.p(99));
                    f[2].add(o.max());
                    f[3].add(o.errors());
                    f[4].add(Stats.percentile(l.answerMs, 50));
                    f[5].add(Stats.percentile(l.answerMs, 99));
                    f[6].add(100.0 * l.answered / o.sent());
                    f[7].add(100.0 * o.busy() / o.sent());
                    f[8].add(botCpu * 1000 / o.sent());
                    f[9].add(dockerCpu * 1000 / o.sent());
                    ctx.say(String.format(java.util.Locale.ROOT,
                            "run %d, %d req/s: ack p50 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d; answered %d/%d, busy %d, answer p99 %.0f ms; send lag max %.1f ms; CPU/command bot %.2f ms, docker %.2f ms",
                            run, rate, o.p(50), o.p(99), o.max(), o.errors(), l.answered, o.sent(), o.busy(),
                            Stats.percentile(l.answerMs, 99), o.maxSendLagMs(), botCpu * 1000 / o.sent(), dockerCpu * 1000 / o.sent()));
                    if (System.getenv("BENCH_DEBUG") != null) {
                        Map<String, Double> after = CpuMeter.threads(bot.pid());
                        StringBuilder t = new StringBuilder("bot CPU by thread (ms per command):");
                        after.entrySet().stream()
                                .map(e -> Map.entry(e.getKey(), e.getValue() - threadCpu.getOrDefault(e.getKey(), 0.0)))
                                .filter(e -> e.getValue() > 0)
                                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                                .forEach(e -> t.append(String.format(java.util.Locale.ROOT, " %s %.2f;", e.getKey(), e.getValue() * 1000 / o.sent())));
                        ctx.say(t.toString());
                        ctx.say("fake Slack calls: auth.test " + slack.count("auth.test") + ", chat.postMessage "
                                + slack.count("chat.postMessage") + ", response_url " + slack.count("response_url"));
                    }
                    if (o.maxSendLagMs() > 5) {
                        results.note(id(), String.format(java.util.Locale.ROOT,
                                "run %d at %d req/s: the load generator sent up to %.1f ms late (counted in the latency).",
                                run, rate, o.maxSendLagMs()));
                    }
                }
            }
        }
    }

    private record Load(OpenLoop.Outcome outcome, double[] answerMs, int answered) { }

    /** Sends one rate's load and waits for the answers; keys tie each answer to its command. */
    private Load load(Context ctx, HttpClient client, SlackRequests signer, FakeSlackApi slack, Answers answers, int rate,
                      Duration window, String tag) throws InterruptedException {
        int n = (int) (rate * window.toMillis() / 1000);
        answers.expect(tag, n);
        OpenLoop.Outcome o = OpenLoop.run(client, rate, window, i -> signer.signed(SlackRequests.slashCommand(
                "C" + tag + "x" + i, "U" + tag + "x" + i, "bench" + i, i % 2 == 0 ? "help" : "ps",
                slack.responseUrl(tag + "x" + i))));
        // Wait until every command not refused as busy was answered, or nothing more came for 20 s.
        long lastProgress = System.nanoTime();
        int seen = -1;
        while (answers.count() < n - o.busy() && System.nanoTime() - lastProgress < 20_000_000_000L) {
            int c = answers.count();
            if (c != seen) {
                seen = c;
                lastProgress = System.nanoTime();
            }
            Thread.sleep(50);
        }
        double[] ms = new double[answers.count()];
        int k = 0;
        for (int i = 0; i < n; i++) {
            long at = answers.at(i);
            if (at > 0) ms[k++] = (at - o.dueNanos()[i]) / 1e6;
        }
        ms = Arrays.copyOf(ms, k);
        Arrays.sort(ms);
        return new Load(o, ms, k);
    }

    /** When the answer to each command of the current load reached the chat (a message in its channel, or its response URL). */
    private static final class Answers {
        private volatile String tag = "";
        private volatile AtomicLongArray at = new AtomicLongArray(0);
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        synchronized void expect(String tag, int n) {
            this.at = new AtomicLongArray(n);
            this.count.set(0);
            this.tag = tag;
        }

        void record(FakeSlackApi.Call call) {
            String key = switch (call.method()) {
                case "response_url" -> call.key();
                case "chat.postMessage" -> call.channel() == null ? null : call.channel().substring(1);
                default -> null;
            };
            String prefix = tag + "x";
            if (key == null || !key.startsWith(prefix)) return;
            int i = Integer.parseInt(key.substring(prefix.length()));
            AtomicLongArray a = at;
            if (i < a.length() && a.compareAndSet(i, 0, call.atNanos())) count.incrementAndGet();
        }

        int count() {
            return count.get();
        }

        long at(int i) {
            return at.get(i);
        }
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
