package dev.opsbot.bench;

import dev.opsbot.core.health.ContainerWatch;
import dev.opsbot.core.store.DatabaseServer;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.PostgresCluster;
import dev.opsbot.slack.FakeSlack;
import dev.opsbot.slack.SlackButtons;
import dev.opsbot.slack.SlackPayloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.opentest4j.TestAbortedException;

/**
 * Failover: two replicas ({@code ./opsbot run}, Slack in Socket Mode) on one PostgreSQL
 * database, the leader running a deploy and watching a failing backend, killed with SIGKILL
 * while somebody types a command every 100 ms; a second service fails right after. Measured from
 * the kill: the survivor's first answer, the interrupted-run report, the new failure's alert, the
 * commands never answered, and whether the old failure was alerted again. Before that, each run
 * measures Socket Mode acknowledgements under the same load with one replica, then with two.
 */
final class FailoverScenario implements Scenario {
    private static final String ALERTS = "C0ALERTS";
    /** The stack's name, the environment /readyz reports leadership of. */
    private static final String ENVIRONMENT = "bench";
    private static final int ACK_RATE = 20;
    private static final Duration STREAM_EVERY = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String SETTINGS = """
            access:
              roles:
                viewer: ["*"]
                deployer: ["slack:U0BENCHOPS"]
            monitor:
              renotify: 1h
              channels:
                critical: ["slack:%s"]
            """.formatted(ALERTS);
    private static final String SLOW_DEPLOY = """
            name: slowdeploy
            summary: a deploy whose migration takes a while
            mutates: true
            params:
              - {name: tag, kind: tag}
            steps:
              - pin: {services: [backend, worker], tag: "${tag}"}
              - run: {service: backend, command: [sleep, "60"]}
                title: slow migration
              - up: {}
            """;

    @Override
    public String id() {
        return "failover";
    }

    @Override
    public String title() {
        return "Failover: kill -9 of the leader of two replicas on one PostgreSQL database";
    }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        Figures f = new Figures(results, id());
        PostgresCluster cluster;
        try {
            cluster = PostgresCluster.start();
        } catch (TestAbortedException e) {
            results.unavailable.put(id(), e.getMessage());
            return;
        }
        Path dir = ctx.folder("failover");
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("slowdeploy.yml"), SLOW_DEPLOY);
        Path config = Files.writeString(dir.resolve("opsbot.yml"), SETTINGS);
        try (cluster; BenchStack stack = BenchStack.demo(ctx.docker(), dir, "failover")) {
            stack.up();
            stack.awaitHealthy(Duration.ofMinutes(2));
            for (int run = 1; run <= ctx.options().runs(); run++) {
                String database = "bench_failover_" + run + "_" + UUID.randomUUID().toString().substring(0, 8);
                DatabaseServer db = cluster.createDatabase(database);
                try {
                    oneRun(ctx, results, f, stack, db, ctx.folder("failover-run" + run), config, runbooks, run);
                } finally {
                    health(ctx, stack, "backend", "/www/health", true);
                    health(ctx, stack, "web", "/www/index.html", true);
                    cluster.dropDatabase(database);
                }
                stack.awaitHealthy(Duration.ofMinutes(1));
            }
        }
        results.note(id(), "Each run starts fresh `./opsbot run` processes (Slack in Socket Mode against the local fake, which "
                + "sends each envelope to one connection at random and sends one not acknowledged within "
                + "3 s again to another; a `monitor:` section; the default lease settings) on a new database of a local "
                + "PostgreSQL, watching a copy of the demo stack. Acknowledgements: `/ops help` at " + ACK_RATE + " a second for "
                + ackWindow(ctx).toSeconds() + " s, timed at the fake from sending the envelope to its acknowledgement: with both "
                + "replicas (after as long again untimed, to warm them up), and with the survivor alone after the failover, the "
                + "stack healthy again. Failover: the backend's healthcheck is broken and the replica that "
                + "posts its alert is the leader; it is given a deploy (Confirm pressed on it) and killed with SIGKILL during the "
                + "deploy's slow step while `/ops help` is typed every " + STREAM_EVERY.toMillis() + " ms; right after the kill the "
                + "web service's healthcheck is broken too (Docker needs about 6 s to call it unhealthy). A command is lost "
                + "when no answer reached its response URL within 20 s of the last answer.");
    }

    private static Duration ackWindow(Context ctx) {
        return Duration.ofSeconds(ctx.options().quick() ? 3 : 10);
    }

    private void oneRun(Context ctx, Results results, Figures f, BenchStack stack, DatabaseServer db, Path dir, Path config, Path runbooks, int run)
            throws Exception {
        try (FakeSlack slack = new FakeSlack();
             BenchReplicas replicas = new BenchReplicas(dir, stack, db, slack, config, runbooks, Map.of())) {
            // Acknowledgements with two replicas, both warmed up first (one is measured on the survivor, after the failover).
            replicas.start("a");
            replicas.start("b");
            ackLoad(ctx, slack, "warm" + run);
            double[] two = ackLoad(ctx, slack, "two" + run);
            f.ackTwoP50.add(Stats.percentile(two, 50));
            f.ackTwoP99.add(Stats.percentile(two, 99));

            // The leader, as its /readyz says; it alerts the broken backend (the new leader must not alert it again).
            String leader = replicas.leader(ENVIRONMENT, Duration.ofSeconds(60));
            String survivor = leader.equals("a") ? "b" : "a";
            health(ctx, stack, "backend", "/www/health", false);
            FakeSlack.Call first = await(slack, posted(ALERTS, "Failing: backend healthcheck"), "the backend's alert");
            if (!first.replica().equals(leader)) ctx.say("run " + run + ": the backend's alert came from " + first.replica() + ", not the leader");

            // A deploy running on the leader.
            String tag = run % 2 == 1 ? DemoStack.NEWER : DemoStack.GOOD;
            slack.socketMode().sendTo(leader, "slash_commands", SlackPayloads.toJson(SlackPayloads.slashCommand(
                    SocketModeCommands.CHANNEL, "U0BENCHOPS", "ops", "slowdeploy " + tag, slack.responseUrl("deploy" + run), "t" + run)));
            FakeSlack.Call ask = await(slack, posted(SocketModeCommands.CHANNEL, "slowdeploy " + tag), "the confirmation");
            slack.socketMode().sendTo(leader, "interactive", SlackButtons.press(ask, "Confirm", "U0BENCHOPS", "ops",
                    slack.responseUrl("confirm" + run)));
            FakeSlack.Call step = await(slack, shown(SocketModeCommands.CHANNEL, "2/3 slow migration"), "the deploy's slow step");
            if (!step.replica().equals(leader)) ctx.say("run " + run + ": the deploy runs on " + step.replica() + ", not the leader");

            SocketModeCommands stream = new SocketModeCommands(slack, "f" + run);
            WebUnhealthy web = new WebUnhealthy(ctx, stack);
            long killedAt;
            try (Streaming ignored = new Streaming(stream); web) {
                Thread.sleep(2000);
                killedAt = System.nanoTime();
                replicas.kill(leader);
                health(ctx, stack, "web", "/www/index.html", false);
                replicas.leader(ENVIRONMENT, WAIT);
                f.leading.add((System.nanoTime() - killedAt) / 1e9);
                FakeSlack.Call report = awaitOrNull(slack, posted(SocketModeCommands.CHANNEL, "was interrupted"));
                FakeSlack.Call alert = awaitOrNull(slack, posted(ALERTS, "Failing: web healthcheck"));
                f.report.add(report == null ? Double.NaN : (report.atNanos() - killedAt) / 1e9);
                f.alert.add(alert == null ? Double.NaN : (alert.atNanos() - killedAt) / 1e9);
                f.alertAfterUnhealthy.add(alert == null || web.unhealthyAt() < 0 ? Double.NaN : (alert.atNanos() - web.unhealthyAt()) / 1e9);
                if (report == null) results.note(id(), "Run " + run + ": no interrupted-run report within " + WAIT.toSeconds() + " s of the kill.");
                if (alert == null) results.note(id(), "Run " + run + ": no alert of the new failure within " + WAIT.toSeconds() + " s of the kill.");
                String by = (report == null ? "-" : report.replica()) + "/" + (alert == null ? "-" : alert.replica());
                if (!by.equals(survivor + "/" + survivor)) ctx.say("run " + run + ": report/alert by " + by + "; the survivor is " + survivor);
                Thread.sleep(3000);
            }
            List<SocketModeCommands.Sent> all = stream.all();
            List<SocketModeCommands.Sent> lost = stream.awaitAnswers(all, Duration.ofSeconds(20));
            Map<String, Long> answers = stream.answers();
            long firstAnswer = all.stream().filter(s -> s.atNanos() > killedAt && answers.containsKey(s.key()))
                    .mapToLong(s -> answers.get(s.key())).min().orElse(-1);
            double slowest = all.stream().filter(s -> s.atNanos() > killedAt && s.atNanos() < killedAt + 10_000_000_000L
                    && answers.containsKey(s.key())).mapToDouble(s -> (answers.get(s.key()) - s.atNanos()) / 1e6).max().orElse(Double.NaN);
            f.firstAnswer.add(firstAnswer < 0 ? Double.NaN : (firstAnswer - killedAt) / 1e6);
            f.slowestAnswer.add(slowest);
            f.lost.add(lost.size());
            f.repeated.add(slack.calls().stream().filter(posted(ALERTS, "Failing: backend healthcheck")).count() - 1);

            // Acknowledgements with the survivor alone, the stack healthy again.
            health(ctx, stack, "backend", "/www/health", true);
            health(ctx, stack, "web", "/www/index.html", true);
            stack.awaitHealthy(Duration.ofMinutes(1));
            double[] one = ackLoad(ctx, slack, "one" + run);
            f.ackOneP50.add(Stats.percentile(one, 50));
            f.ackOneP99.add(Stats.percentile(one, 99));
            ctx.say(String.format(Locale.ROOT, "run %d: leader %s killed; first answer after %.0f ms, slowest %.0f ms, %s leads after %.1f s, "
                            + "report after %.1f s, alert after %.1f s (%.1f s after Docker's unhealthy), %d of %d commands lost; "
                            + "acks p50 %.1f/%.1f ms (one/two)",
                    run, leader, f.firstAnswer.runs.get(run - 1), slowest, survivor, f.leading.runs.get(run - 1),
                    f.report.runs.get(run - 1), f.alert.runs.get(run - 1),
                    f.alertAfterUnhealthy.runs.get(run - 1), lost.size(), all.size(), Stats.percentile(one, 50),
                    Stats.percentile(two, 50)));
        }
    }

    /** {@code /ops help} at {@link #ACK_RATE} a second; the acknowledgement times in ms, sorted. */
    private static double[] ackLoad(Context ctx, FakeSlack slack, String tag) throws InterruptedException {
        SocketModeCommands commands = new SocketModeCommands(slack, tag);
        List<SocketModeCommands.Sent> sent = commands.atRate(ACK_RATE, ackWindow(ctx));
        commands.awaitAnswers(sent, Duration.ofSeconds(10));
        return Stats.sorted(commands.ackMillis(sent));
    }

    private static Predicate<FakeSlack.Call> posted(String channel, String text) {
        return c -> c.method().equals("chat.postMessage") && channel.equals(c.param("channel"))
                && (c.visibleText().contains(text) || String.valueOf(c.param("text")).contains(text));
    }

    private static Predicate<FakeSlack.Call> shown(String channel, String text) {
        return posted(channel, text).or(c -> c.method().equals("chat.update") && channel.equals(c.param("channel"))
                && c.visibleText().contains(text));
    }

    private static FakeSlack.Call await(FakeSlack slack, Predicate<FakeSlack.Call> which, String what) throws InterruptedException {
        return slack.awaitCall(which, 0, WAIT, what);
    }

    /** The first call that matches within {@link #WAIT}, or null: a figure not measured rather than a scenario failed. */
    private static FakeSlack.Call awaitOrNull(FakeSlack slack, Predicate<FakeSlack.Call> which) throws InterruptedException {
        try {
            return slack.awaitCall(which, 0, WAIT, "");
        } catch (AssertionError notInTime) {
            return null;
        }
    }

    private static void health(Context ctx, BenchStack stack, String service, String file, boolean on) {
        List<String> command = List.of("/bin/sh", "-c", on ? "[ ! -e " + file + ".off ] || mv " + file + ".off " + file
                : "mv " + file + " " + file + ".off");
        int code = ctx.docker().exec(stack.load(), service, command, OutputSink.NONE, Duration.ofSeconds(10));
        if (code != 0) throw new IllegalStateException("switching " + service + "'s health " + (on ? "on" : "off") + " exited " + code);
    }

    /** The figures of this scenario, in the order printed. */
    private static final class Figures {
        final Figure ackOneP50;
        final Figure ackOneP99;
        final Figure ackTwoP50;
        final Figure ackTwoP99;
        final Figure firstAnswer;
        final Figure slowestAnswer;
        final Figure leading;
        final Figure report;
        final Figure alert;
        final Figure alertAfterUnhealthy;
        final Figure lost;
        final Figure repeated;

        Figures(Results results, String id) {
            ackTwoP50 = results.figure(id, "Socket Mode ack p50, two replicas", "ms");
            ackTwoP99 = results.figure(id, "Socket Mode ack p99, two replicas", "ms");
            ackOneP50 = results.figure(id, "Socket Mode ack p50, one replica (the survivor)", "ms");
            ackOneP99 = results.figure(id, "Socket Mode ack p99, one replica (the survivor)", "ms");
            firstAnswer = results.figure(id, "kill to the survivor's answer to the next command", "ms");
            slowestAnswer = results.figure(id, "slowest answer to a command typed in the 10 s after the kill", "ms");
            leading = results.figure(id, "kill to the survivor leading (its /readyz)", "s");
            report = results.figure(id, "kill to the interrupted-run report", "s");
            alert = results.figure(id, "kill to the alert of a failure begun after it", "s");
            alertAfterUnhealthy = results.figure(id, "the same alert after Docker's unhealthy event", "s");
            lost = results.figure(id, "commands lost during the failover", "", "0", v -> v == 0);
            repeated = results.figure(id, "alerts posted again by the new leader", "", "0", v -> v == 0);
        }
    }

    /** Typing a command every {@link #STREAM_EVERY} on a thread of its own until closed. */
    private static final class Streaming implements AutoCloseable {
        private final Thread thread;

        Streaming(SocketModeCommands commands) {
            thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        commands.type();
                        Thread.sleep(STREAM_EVERY.toMillis());
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            }, "bench-command-stream");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(5000);
        }
    }

    /** When the engine reported the web service unhealthy (its own event time, on this process's nanoTime clock). */
    private static final class WebUnhealthy implements AutoCloseable {
        private final AtomicLong at = new AtomicLong(-1);
        private final ContainerWatch.EventStream events;

        WebUnhealthy(Context ctx, BenchStack stack) throws InterruptedException {
            long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
            events = ctx.engine().watch().events(stack.project(), 0, e -> {
                if ("web".equals(e.service()) && e.action().endsWith("unhealthy")) at.compareAndSet(-1, e.timeNanos() - epochOffset);
            });
        }

        long unhealthyAt() {
            return at.get();
        }

        @Override
        public void close() {
            events.close();
        }
    }
}
