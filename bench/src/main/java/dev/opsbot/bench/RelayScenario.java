package dev.opsbot.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The output relay: a container prints N lines of 100 bytes as fast as it can and exits; its
 * log is then read (a) by {@code docker logs} alone, the ceiling, and (b) by the bot, through a
 * runbook's {@code logs} step: Docker's stream, the relay (redaction, the run log, the live
 * message) and the Slack adapter to a local Web API, which also receives the attached log. The
 * two alternate, on the same container.
 */
final class RelayScenario implements Scenario {
    private static final String PAYLOAD = "opsbot relay benchmark: the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @Override
    public String id() {
        return "relay";
    }

    @Override
    public String title() {
        return "Output relay: a container's log through the relay to a fake chat API, against docker logs";
    }

    /** Each line is exactly 100 bytes with its newline: a 7-digit number, a space, 91 bytes of text. */
    static String compose(int lines) {
        String text = PAYLOAD.substring(0, 91);
        return """
                services:
                  flood:
                    image: 127.0.0.1:5000/opsbot-demo/backend:sha-1a2b3c4
                    command: ["awk", "BEGIN { for (i = 1; i <= %d; i++) printf \\"%%07d %s\\\\n\\", i }"]
                    restart: "no"
                """.formatted(lines, text);
    }

    @Override
    public void run(Context ctx, Results results) throws Exception {
        int lines = ctx.options().floodLines();
        String n = String.format(Locale.ROOT, "%,d", lines);
        Figure docker = results.figure(id(), "docker logs alone (the ceiling)", "lines/s");
        Figure relay = results.figure(id(), "through the relay", "lines/s");
        Figure ratio = results.figure(id(), "relay / docker logs", "", ">= 0.8", v -> v >= 0.8);
        Figure updates = results.figure(id(), "live message updates per second", "/s");
        Figure gap = results.figure(id(), "shortest gap between two updates", "ms", ">= 1000 ms (Slack adapter: 1 a second)",
                v -> v >= 1000);
        Figure peak = results.figure(id(), "peak heap in use (before a collection)", "MiB");
        Figure growth = results.figure(id(), "heap growth (after collections, over the idle bot)", "MiB", "< 64 MiB", v -> v < 64);
        Figure same = results.figure(id(), "attached log identical to docker logs (1 = yes)", "", "1", v -> v == 1);
        Figure endToEnd = results.figure(id(), "command to full log attached", "s");
        Figure botCpu = results.figure(id(), "bot CPU time for the run", "s");
        Figure dockerCpu = results.figure(id(), "Docker engine CPU time for the run", "s");
        Path dir = ctx.folder("relay");
        try (BenchStack stack = BenchStack.of(ctx.docker(), dir, "relay", compose(lines));
             FakeSlackApi slack = new FakeSlackApi(dir.resolve("uploads"))) {
            long t0 = System.nanoTime();
            stack.up();
            String container = awaitExit(stack);
            ctx.say(String.format(Locale.ROOT, "the container printed %s lines in %.1f s (including its start)", n, (System.nanoTime() - t0) / 1e9));
            Path reference = dir.resolve("docker-logs.txt");
            String secret = UUID.randomUUID().toString().replace("-", "");
            int port = AckScenario.freePort();
            Path gcLog = dir.resolve("gc.log");
            Path data = dir.resolve("data");
            Map<String, String> env = new LinkedHashMap<>(BotEnv.stack(stack, data, BotEnv.benchRunbooks()));
            env.putAll(BotEnv.slack(slack, secret, port));
            env.putAll(BotEnv.javaOpts("-Xlog:gc:file=" + gcLog));
            try (BotProcess bot = BotProcess.start(List.of("run"), env, dir.resolve("bot.log"))) {
                bot.awaitReady(Duration.ofSeconds(60));
                SlackRequests signer = new SlackRequests(port, secret);
                HttpClient client = SlackRequests.client();
                for (int run = 1; run <= ctx.options().runs(); run++) {
                    Read docker1 = dockerLogs(container, run == 1 ? reference : null);
                    docker.add(lines / docker1.seconds());
                    bot.jcmd("GC.run");
                    int pausesBefore = GcLog.read(gcLog).size();
                    double baseline = GcLog.read(gcLog).get(pausesBefore - 1).afterMiB();
                    int uploadsBefore = slack.calls("upload").size();
                    int postsBefore = slack.calls("chat.postMessage").size();
                    String channel = "CRELAY" + run;
                    double cpu0 = CpuMeter.seconds(bot.pid());
                    double docker0 = CpuMeter.docker();
                    long sent = System.nanoTime();
                    Watch watch = Watch.start(data.resolve("logs"));
                    HttpResponse<Void> ack = client.send(signer.signed(SlackRequests.slashCommand(channel, "UBENCH", "bench",
                            "bench-flood", slack.responseUrl("relay" + run))), HttpResponse.BodyHandlers.discarding());
                    if (ack.statusCode() != 200) throw new IllegalStateException("the command was answered " + ack.statusCode());
                    FakeSlackApi.Call upload = slack.await("upload", uploadsBefore, Duration.ofMinutes(10).toMillis());
                    double e2e = (upload.atNanos() - sent) / 1e9;
                    watch.stop();
                    double cpu = CpuMeter.seconds(bot.pid()) - cpu0;
                    double dockerSeconds = CpuMeter.docker() - docker0;
                    bot.jcmd("GC.run");
                    FakeSlackApi.Call live = slack.calls("chat.postMessage").stream().skip(postsBefore)
                            .filter(c -> channel.equals(c.channel())).findFirst().orElseThrow();
                    List<Long> times = slack.calls("chat.update").stream().filter(c -> live.ts().equals(c.ts()))
                            .map(FakeSlackApi.Call::atNanos).sorted().toList();
                    double relaySeconds = watch.seconds();
                    relay.add(lines / relaySeconds);
                    ratio.add((lines / relaySeconds) / (lines / docker1.seconds()));
                    double span = times.size() > 1 ? (times.get(times.size() - 1) - times.get(0)) / 1e9 : Double.NaN;
                    updates.add(times.size() > 1 ? (times.size() - 1) / span : 0);
                    double minGap = Double.MAX_VALUE;
                    for (int i = 1; i < times.size(); i++) minGap = Math.min(minGap, (times.get(i) - times.get(i - 1)) / 1e6);
                    gap.add(minGap);
                    List<GcLog.Pause> pauses = GcLog.read(gcLog).subList(pausesBefore, GcLog.read(gcLog).size());
                    double peakMiB = pauses.stream().mapToDouble(GcLog.Pause::beforeMiB).max().orElse(Double.NaN);
                    double maxAfter = pauses.stream().mapToDouble(GcLog.Pause::afterMiB).max().orElse(Double.NaN);
                    peak.add(peakMiB);
                    growth.add(Math.max(0, maxAfter - baseline));
                    Path attached = slack.uploaded(upload.key());
                    Compare cmp = compare(attached, reference);
                    same.add(cmp.identical() ? 1 : 0);
                    endToEnd.add(e2e);
                    botCpu.add(cpu);
                    dockerCpu.add(dockerSeconds);
                    ctx.say(String.format(Locale.ROOT,
                            "run %d: docker logs %.0f lines/s; relay %.0f lines/s (%.2f); %d updates, %.2f/s, shortest gap %.0f ms; "
                                    + "heap peak %.0f MiB, growth %.0f MiB over %.0f MiB; attached %s; command to attached %.1f s; CPU bot %.1f s, docker %.1f s",
                            run, lines / docker1.seconds(), lines / relaySeconds, docker1.seconds() / relaySeconds, times.size(),
                            updates.runs.get(updates.runs.size() - 1), minGap, peakMiB, maxAfter - baseline, baseline,
                            cmp.describe(), e2e, cpu, dockerSeconds));
                    Files.deleteIfExists(attached);
                    try (Stream<Path> logs = Files.list(data.resolve("logs"))) {
                        for (Path p : logs.toList()) Files.deleteIfExists(p);
                    }
                }
            }
            Files.deleteIfExists(reference);
        }
        results.note(id(), "The container (`awk` in a demo image) prints " + n + " lines of exactly 100 bytes and exits; "
                + "`docker logs` and the bot then read the same stored log in turn. Rates are lines over the time from the first "
                + "to the last byte: of `docker logs`' output, and of the run log the relay writes. The bot is `./opsbot run` "
                + "with the Slack adapter and the runbook `bench/runbooks/bench-flood.yml` (one `logs` step), started by a signed "
                + "`/ops bench-flood`. Heap figures come from the bot's GC log: a full collection before each run gives the "
                + "baseline, growth is the most heap still in use right after any collection during the run, over it.");
    }

    private static String awaitExit(BenchStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            var c = stack.services().get("flood");
            if (c != null && !c.running() && c.state().equals("exited")) return c.id();
            Thread.sleep(200);
        }
        throw new IllegalStateException("the flood container did not finish within 5 minutes");
    }

    /** {@code docker logs} of a container: first and last byte, written to {@code copy} when given. */
    private record Read(long bytes, long firstNanos, long lastNanos) {
        double seconds() {
            return (lastNanos - firstNanos) / 1e9;
        }
    }

    private static Read dockerLogs(String container, Path copy) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("docker", "logs", container).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        byte[] buf = new byte[1 << 20];
        long total = 0;
        long first = -1;
        long last = -1;
        try (InputStream in = p.getInputStream(); OutputStream out = copy == null ? OutputStream.nullOutputStream() : Files.newOutputStream(copy)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                long now = System.nanoTime();
                if (first < 0) first = now;
                last = now;
                total += r;
                out.write(buf, 0, r);
            }
        }
        if (p.waitFor() != 0) throw new IllegalStateException("docker logs " + container + " exited " + p.exitValue());
        return new Read(total, first, last);
    }

    /** Watches the run log the relay writes: when it first grew and when it last grew. */
    private static final class Watch {
        private final Path folder;
        private final Thread thread;
        private volatile boolean stop;
        private volatile long first = -1;
        private volatile long last = -1;

        private Watch(Path folder) {
            this.folder = folder;
            this.thread = new Thread(this::poll, "relay-watch");
            thread.setDaemon(true);
        }

        static Watch start(Path folder) {
            Watch w = new Watch(folder);
            w.thread.start();
            return w;
        }

        private void poll() {
            long size = 0;
            while (!stop) {
                try {
                    if (Files.isDirectory(folder)) {
                        try (var files = Files.list(folder)) {
                            for (Path p : files.toList()) {
                                long s = Files.size(p);
                                if (s != size) {
                                    long now = System.nanoTime();
                                    if (first < 0) first = now;
                                    last = now;
                                    size = s;
                                }
                            }
                        }
                    }
                    Thread.sleep(2);
                } catch (IOException e) {
                    // the file is being created or removed
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join();
        }

        double seconds() {
            return (last - first) / 1e9;
        }
    }

    /** Whether the attachment is the bot's two header lines followed by exactly docker's bytes. */
    private record Compare(boolean identical, long attachedBytes, long referenceBytes, long firstDifference) {
        String describe() {
            return identical ? "log identical to docker logs (" + referenceBytes + " bytes)"
                    : "log DIFFERS from docker logs at byte " + firstDifference + " (" + attachedBytes + " vs " + referenceBytes + " bytes)";
        }
    }

    private static Compare compare(Path attached, Path reference) throws IOException {
        try (InputStream a = new BufferedInputStream(Files.newInputStream(attached), 1 << 20);
             InputStream b = new BufferedInputStream(Files.newInputStream(reference), 1 << 20)) {
            // the run log starts with the step's line and the logs step's service line
            for (int header = 0; header < 2; header++) {
                int c;
                while ((c = a.read()) != '\n') {
                    if (c < 0) return new Compare(false, 0, Files.size(reference), 0);
                }
            }
            long pos = 0;
            while (true) {
                int x = a.read();
                int y = b.read();
                if (x != y) return new Compare(false, Files.size(attached), Files.size(reference), pos);
                if (x < 0) return new Compare(true, Files.size(attached), Files.size(reference), -1);
                pos++;
            }
        }
    }
}
