package dev.opsbot.bench;

import dev.opsbot.core.store.Database;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A long run of ordinary use against the real bot ({@code ./opsbot run} with the Slack adapter in
 * HTTP mode against the local fake): commands all along, a deploy (typed, confirmed by a button
 * press, verified) after another, and a service whose healthcheck is broken and mended again and
 * again, each failure an alert. Resident memory, threads, open files, the database file and the
 * run logs are read from the outside at the start, every few minutes and at the end.
 */
final class SoakScenario implements Scenario {
    private static final String COMMANDS = "CSOAKCMD";
    private static final String DEPLOYS = "CSOAKDEPLOY";
    private static final String ALERTS = "CSOAKALERTS";
    private static final String FLAKY = "flaky";
    private static final double COMMANDS_PER_SECOND = 2;
    private static final List<String> TYPED = List.of("help", "ps", "history", "alerts", "history backend", "logs worker --tail 20");

    @Override
    public String id() {
        return "soak";
    }

    @Override
    public String title() {
        return "Growth over a long run of commands, deploys and alerts: memory, threads, open files, database and logs";
    }

    private record Counts(AtomicInteger sent, AtomicInteger acknowledged, AtomicInteger answered, AtomicInteger deploysOk,
                          AtomicInteger deploysFailed, AtomicInteger failures, AtomicInteger alerted) {
        Counts() {
            this(new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger(),
                    new AtomicInteger(), new AtomicInteger());
        }
    }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        Duration length = Duration.ofMinutes(ctx.options().soakMinutes());
        Duration sampleEvery = Duration.ofSeconds(Math.max(15, length.toSeconds() / 15));
        Path dir = ctx.folder("soak");
        String demo = Files.readString(RepoRoot.get().resolve("examples/demo/docker-compose.yml"));
        String compose = demo.replace("\nvolumes:\n", """
                  # Broken and mended by the soak: healthy while /tmp/ok exists.
                  flaky:
                    image: 127.0.0.1:5000/opsbot-demo/worker:sha-1a2b3c4
                    init: true
                    command: ["/bin/sh", "-c", "touch /tmp/ok; exec sleep 1000000"]
                    healthcheck:
                      test: ["CMD", "test", "-f", "/tmp/ok"]
                      interval: 1s
                      timeout: 1s
                      retries: 1

                volumes:
                """);
        Counts counts = new Counts();
        List<ProcessSample> samples = new ArrayList<>();
        Map<String, Long> rows;
        double closedMiB;
        try (BenchStack stack = BenchStack.of(ctx.docker(), dir, "soak", compose)) {
            stack.up();
            stack.awaitHealthy(Duration.ofMinutes(2));
            Path config = dir.resolve("opsbot.yml");
            Files.writeString(config, """
                    access:
                      roles:
                        deployer: ["*"]
                    monitor:
                      renotify: 1h
                      flapping: {count: 1000, window: 1s}
                      channels:
                        critical: ["slack:%s"]
                    retention: {runs: 10m, logs: 5m}
                    """.formatted(ALERTS));
            Path data = dir.resolve("data");
            String secret = UUID.randomUUID().toString().replace("-", "");
            int port = AckScenario.freePort();
            try (FakeSlackApi slack = new FakeSlackApi(dir.resolve("uploads"))) {
                BlockingQueue<FakeSlackApi.Call> deploys = new LinkedBlockingQueue<>();
                BlockingQueue<FakeSlackApi.Call> alerts = new LinkedBlockingQueue<>();
                slack.onCall(c -> {
                    if (DEPLOYS.equals(c.channel())) deploys.add(c);
                    if (ALERTS.equals(c.channel())) alerts.add(c);
                    boolean answer = c.method().equals("response_url") && c.key().startsWith("soak-cmd-")
                            || c.method().equals("chat.postMessage") && COMMANDS.equals(c.channel());
                    if (answer) counts.answered().incrementAndGet();
                });
                Map<String, String> env = new LinkedHashMap<>(BotEnv.stack(stack, data, BotEnv.repoRunbooks()));
                env.putAll(BotEnv.slack(slack, secret, port));
                try (BotProcess bot = BotProcess.start(List.of("run", "--config", config.toString()), env, dir.resolve("bot.log"))) {
                    bot.awaitReady(Duration.ofSeconds(60));
                    Thread.sleep(3000);
                    SlackRequests signer = new SlackRequests(port, secret);
                    HttpClient client = SlackRequests.client();
                    long start = System.nanoTime();
                    long end = start + length.toNanos();
                    samples.add(sample(ctx, bot, data, start));
                    ExecutorService activities = Executors.newFixedThreadPool(3);
                    List<Future<?>> running = List.of(
                            activities.submit(() -> commands(client, signer, slack, counts, end)),
                            activities.submit(() -> deploys(ctx, client, signer, slack, deploys, counts, end)),
                            activities.submit(() -> alerts(ctx, stack, alerts, counts, end)));
                    while (System.nanoTime() < end) {
                        Thread.sleep(Math.min(sampleEvery.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                        if (System.nanoTime() < end) samples.add(sample(ctx, bot, data, start));
                    }
                    for (Future<?> f : running) f.get(10, TimeUnit.MINUTES);
                    activities.shutdown();
                    Thread.sleep(5000);
                    samples.add(sample(ctx, bot, data, start));
                }
            }
            // What the database holds once the bot has stopped (the H2 file is its own again; closing compacts it).
            closedMiB = Files.size(data.resolve("opsbot.mv.db")) / 1048576.0;
            rows = rows(data);
        }
        report(ctx, results, length, samples, counts);
        results.figure(id(), "database file after the bot stopped", "MiB").add(closedMiB);
        rows.forEach((table, n) -> results.figure(id(), "rows in " + table + " at the end", "").add(n));
    }

    private static Map<String, Long> rows(Path data) {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Database db = Database.open(data.resolve("opsbot"))) {
            for (String table : List.of("runs", "run_steps", "deploys", "pending_actions", "audit", "alerts")) {
                rows.put(table, db.withConnection(c -> {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }));
            }
        }
        return rows;
    }

    private static ProcessSample sample(Context ctx, BotProcess bot, Path data, long start) throws Exception {
        ProcessSample s = ProcessSample.of(bot.pid(), data, (System.nanoTime() - start) / 60e9);
        ctx.say(s.row());
        return s;
    }

    /** Commands from many people (no rate limit applies), at a steady rate, each acknowledged or not within 3 s. */
    private static Void commands(HttpClient client, SlackRequests signer, FakeSlackApi slack, Counts counts, long end)
            throws InterruptedException {
        long every = (long) (1e9 / COMMANDS_PER_SECOND);
        long next = System.nanoTime();
        for (int i = 0; System.nanoTime() < end; i++) {
            String body = SlackRequests.slashCommand(COMMANDS, "USOAK" + (i % 60), "soak" + (i % 60), TYPED.get(i % TYPED.size()),
                    slack.responseUrl("soak-cmd-" + i));
            counts.sent().incrementAndGet();
            client.sendAsync(signer.signed(body), HttpResponse.BodyHandlers.discarding()).orTimeout(3, TimeUnit.SECONDS)
                    .thenAccept(r -> {
                        if (r.statusCode() == 200) counts.acknowledged().incrementAndGet();
                    });
            next += every;
            long wait = next - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        }
        return null;
    }

    /**
     * A deploy of the newer tag, then a rollback to the older one (answering its question: downgrade
     * the migration), again and again: typed, confirmed with the button, followed to their end.
     */
    private static Void deploys(Context ctx, HttpClient client, SlackRequests signer, FakeSlackApi slack,
                                BlockingQueue<FakeSlackApi.Call> calls, Counts counts, long end) throws Exception {
        for (int k = 0; System.nanoTime() < end; k++) {
            int attempt = k;
            boolean forward = k % 2 == 0;
            String tag = forward ? DemoStack.NEWER : DemoStack.GOOD;
            String verb = forward ? "deploy" : "rollback";
            calls.clear();
            client.send(signer.signed(SlackRequests.slashCommand(DEPLOYS, "UDEPLOYER", "deployer", verb + " " + tag,
                    slack.responseUrl("soak-deploy-" + k))), HttpResponse.BodyHandlers.discarding());
            FakeSlackApi.Call ask = next(calls, c -> c.buttons().containsKey("Confirm"), Duration.ofSeconds(60));
            if (ask == null) {
                counts.deploysFailed().incrementAndGet();
                ctx.say(verb + " " + k + " (" + tag + "): no confirmation asked within 60 s");
                continue;
            }
            press(client, signer, slack, ask, "Confirm", k);
            FakeSlackApi.Call done = next(calls, c -> {
                if (c.buttons().containsKey("Downgrade")) {
                    press(client, signer, slack, c, "Downgrade", attempt);
                    return false;
                }
                String text = c.text() == null ? "" : c.text();
                return text.contains("Succeeded: " + verb + " " + tag) || text.contains("Failed: " + verb + " " + tag);
            }, Duration.ofMinutes(5));
            if (done != null && done.text().contains("Succeeded")) {
                counts.deploysOk().incrementAndGet();
            } else {
                counts.deploysFailed().incrementAndGet();
                ctx.say(verb + " " + k + " (" + tag + "): " + (done == null ? "no end within 5 minutes" : done.text()));
            }
            pause(Duration.ofSeconds(15), end);
        }
        return null;
    }

    /** Presses the button labelled {@code label} of a message, as the deployer. */
    private static void press(HttpClient client, SlackRequests signer, FakeSlackApi slack, FakeSlackApi.Call message, String label,
                              int k) {
        int index = new ArrayList<>(message.buttons().keySet()).indexOf(label);
        try {
            client.send(signer.signed(SlackRequests.buttonPress(DEPLOYS, message.ts(), "UDEPLOYER", "deployer", "ops_btn_" + index,
                    message.buttons().get(label), slack.responseUrl("soak-press-" + k))), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The flaky service's healthcheck broken, the alert awaited, the service mended; again after a minute. */
    private static Void alerts(Context ctx, BenchStack stack, BlockingQueue<FakeSlackApi.Call> calls, Counts counts, long end)
            throws Exception {
        pause(Duration.ofSeconds(20), end);
        while (System.nanoTime() < end) {
            calls.clear();
            shell(ctx, stack, "rm -f /tmp/ok");
            counts.failures().incrementAndGet();
            if (next(calls, c -> c.text() != null && c.text().contains("Failing: " + FLAKY), Duration.ofSeconds(30)) != null) {
                counts.alerted().incrementAndGet();
            }
            shell(ctx, stack, "touch /tmp/ok");
            pause(Duration.ofSeconds(60), end);
        }
        return null;
    }

    private static FakeSlackApi.Call next(BlockingQueue<FakeSlackApi.Call> calls, Predicate<FakeSlackApi.Call> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            FakeSlackApi.Call c = calls.poll(left, TimeUnit.NANOSECONDS);
            if (c != null && match.test(c)) return c;
        }
    }

    private static void pause(Duration d, long end) throws InterruptedException {
        long left = (end - System.nanoTime()) / 1_000_000;
        if (left > 0) Thread.sleep(Math.min(d.toMillis(), left));
    }

    private static void shell(Context ctx, BenchStack stack, String command) {
        int code = ctx.docker().exec(stack.load(), FLAKY, List.of("/bin/sh", "-c", command), OutputSink.NONE, Duration.ofSeconds(10));
        if (code != 0) throw new IllegalStateException(command + " exited " + code);
    }

    private void report(Context ctx, Results results, Duration length, List<ProcessSample> samples, Counts counts) {
        ProcessSample first = samples.get(0);
        ProcessSample last = samples.get(samples.size() - 1);
        ctx.say("");
        ctx.say(ProcessSample.header().replace("\n", "\n          "));
        samples.forEach(s -> ctx.say(s.row()));
        results.figure(id(), "length", "min").add(length.toMinutes());
        results.figure(id(), "resident memory at the start", "MiB").add(first.rssMiB());
        results.figure(id(), "resident memory at the end", "MiB").add(last.rssMiB());
        results.figure(id(), "resident memory, highest sample", "MiB")
                .add(samples.stream().mapToDouble(ProcessSample::rssMiB).max().orElse(0));
        results.figure(id(), "threads at the start", "").add(first.threads());
        results.figure(id(), "threads at the end", "").add(last.threads());
        results.figure(id(), "open files at the start", "").add(first.openFiles());
        results.figure(id(), "open files at the end", "").add(last.openFiles());
        results.figure(id(), "database file at the start", "MiB").add(first.databaseMiB());
        results.figure(id(), "database file at the end", "MiB").add(last.databaseMiB());
        results.figure(id(), "run logs kept at the end", "").add(last.runLogs());
        results.figure(id(), "commands sent", "").add(counts.sent().get());
        results.figure(id(), "commands acknowledged within 3 s", "%", "100 %", v -> v == 100)
                .add(100.0 * counts.acknowledged().get() / Math.max(1, counts.sent().get()));
        results.figure(id(), "answers seen in chat", "").add(counts.answered().get());
        results.figure(id(), "deploys succeeded", "").add(counts.deploysOk().get());
        results.figure(id(), "deploys failed or not finished", "", "0", v -> v == 0).add(counts.deploysFailed().get());
        results.figure(id(), "healthcheck failures caused", "").add(counts.failures().get());
        results.figure(id(), "failures alerted within 30 s", "%", "100 %", v -> v == 100)
                .add(100.0 * counts.alerted().get() / Math.max(1, counts.failures().get()));
        results.note(id(), String.format(Locale.ROOT, "One `./opsbot run` (Slack HTTP mode against the local fake, the repository's "
                + "runbooks, `retention: {runs: 10m, logs: 5m}` so that the job has work within the run) on the demo stack plus a "
                + "service whose healthcheck the harness breaks every minute, for %d minutes: %.0f commands a second (help, ps, "
                + "history, alerts, logs) from 60 people, a deploy confirmed with its button after another (alternating two tags, "
                + "15 s apart), and an alert per broken healthcheck. Sampled from /proc every %d s.", length.toMinutes(),
                COMMANDS_PER_SECOND, Math.max(15, length.toSeconds() / 15)));
    }
}
