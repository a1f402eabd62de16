package dev.opsbot.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command acknowledgement under open-loop load over each way commands reach the bot (Slack's HTTP
 * mode, Slack's Socket Mode, Discord interactions): {@code ./opsbot run} against the path's fakes,
 * {@code /ops help} and {@code /ops ps} alternating at each rate. Every command is a different
 * person in a different channel, so no rate limit refuses anything and every command does its
 * real work (a Docker query, a message posted, a private answer, audit rows) while the next ones
 * arrive. With {@code --baseline REV} another revision is measured over Slack's HTTP mode in the
 * same run, after this one's paths in each round.
 */
final class AckScenario implements Scenario {
    private static final int WARMUP_RATE = 50;

    @Override
    public String id() {
        return "acks";
    }

    @Override
    public String title() {
        return "Command acknowledgement under open-loop load (Slack HTTP mode, Slack Socket Mode, Discord)";
    }

    /** One bot measured over one path: which checkout, which path, its figures by rate. */
    private record Subject(String name, Path root, String pathId, Map<Integer, AckFigures> figures) { }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        List<Subject> subjects = new ArrayList<>();
        for (String path : ctx.options().paths()) {
            subjects.add(new Subject(label(path), null, path, figures(results, label(path), ctx.options().ackRates(), true)));
        }
        BaselineTree baseline = ctx.options().baseline() == null ? null : BaselineTree.build(ctx.options().baseline(), ctx::say);
        try {
            if (baseline != null) {
                String name = "baseline " + baseline.revision() + ", Slack HTTP";
                subjects.add(new Subject(name, baseline.root(), "http", figures(results, name, ctx.options().ackRates(), false)));
            }
            try (BenchStack stack = BenchStack.demo(ctx.docker(), ctx.folder("acks"), "acks")) {
                stack.up();
                for (int run = 1; run <= ctx.options().longRuns(); run++) {
                    for (Subject s : inTurn(subjects, run)) {
                        try (InboundPath path = open(s.pathId(), ctx.folder("acks-run" + run + "-" + slug(s.name())))) {
                            new AckRun(ctx, stack, run, path, s.root(), s.name(), s.figures(), results).measure(warmup(ctx), WARMUP_RATE);
                        }
                    }
                }
            }
        } finally {
            if (baseline != null) baseline.close();
        }
        if (baseline != null) compare(subjects, results, ctx);
        results.note(id(), "Each run is a fresh `./opsbot run` per path (the repository's runbooks, a copy of the demo stack "
                + "running), warmed up with " + WARMUP_RATE + " req/s for " + warmup(ctx).toSeconds() + " s, then "
                + ctx.options().ackSeconds() + " s at each rate in turn; between rates the harness waits until every command was "
                + "answered. Bot CPU is the bot process's user and system time (/proc) over the rate's load and its answers, "
                + "divided by the commands answered."
                + (baseline == null ? "" : " The baseline is revision " + baseline.revision() + " built from a worktree of its own, "
                + "measured over Slack's HTTP mode only (the path every revision has), with its own launcher and runbooks, "
                + "before this revision's paths in even runs and after them in odd ones."));
    }

    /**
     * The subjects in the order of one run: the baseline (last in the list) goes last in odd runs and
     * first in even ones, so that neither side is always measured when the machine is busier.
     */
    private static List<Subject> inTurn(List<Subject> subjects, int run) {
        Subject last = subjects.get(subjects.size() - 1);
        if (run % 2 == 1 || last.root() == null) return subjects;
        List<Subject> turned = new ArrayList<>();
        turned.add(last);
        turned.addAll(subjects.subList(0, subjects.size() - 1));
        return turned;
    }

    private static Map<Integer, AckFigures> figures(Results results, String name, int[] rates, boolean targets) {
        Map<Integer, AckFigures> byRate = new LinkedHashMap<>();
        for (int rate : rates) byRate.put(rate, AckFigures.of(results, "acks", name, rate, targets));
        return byRate;
    }

    /** Ack p99 at each rate: this revision's Slack HTTP mode against the baseline's, both medians of the same run. */
    private static void compare(List<Subject> subjects, Results results, Context ctx) {
        Subject ours = subjects.stream().filter(s -> s.root() == null && s.pathId().equals("http")).findFirst().orElse(null);
        Subject base = subjects.get(subjects.size() - 1);
        if (ours == null) return;
        for (int rate : ctx.options().ackRates()) {
            double now = ours.figures().get(rate).ackP99().median();
            double then = base.figures().get(rate).ackP99().median();
            String line = String.format(Locale.ROOT, "Slack HTTP ack p99 at %d req/s: %s ms here, %s ms at %s (%s)", rate,
                    Figure.format(now), Figure.format(then), base.name(), now < then ? "lower" : "NOT lower");
            ctx.say(line);
            results.note("acks", line + ".");
        }
    }

    private static InboundPath open(String id, Path dir) throws Exception {
        return switch (id) {
            case "http" -> new SlackHttpPath(dir);
            case "socket" -> new SlackSocketModePath();
            case "discord" -> new DiscordPath();
            default -> throw new IllegalArgumentException("unknown path " + id);
        };
    }

    private static String label(String pathId) {
        return switch (pathId) {
            case "http" -> "Slack HTTP";
            case "socket" -> "Slack Socket Mode";
            case "discord" -> "Discord";
            default -> pathId;
        };
    }

    private static String slug(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static Duration warmup(Context ctx) {
        return Duration.ofSeconds(ctx.options().quick() ? 1 : 5);
    }

    /** Answer latencies of one load: from each command's due time to its answer in the chat, sorted. */
    static double[] answerMillis(Answers answers, Acks acks) {
        double[] ms = new double[acks.size()];
        int k = 0;
        for (int i = 0; i < acks.size(); i++) {
            long at = answers.at(i);
            if (at > 0) ms[k++] = (at - acks.dueAt(i)) / 1e6;
        }
        ms = Arrays.copyOf(ms, k);
        Arrays.sort(ms);
        return ms;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
