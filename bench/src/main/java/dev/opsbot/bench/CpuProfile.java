package dev.opsbot.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Flight Recorder recording of the bot under the command load, read back: the CPU samples of
 * its Java threads, each counted under the first activity ({@link Activity}) whose frames it
 * holds. Samples are taken at a fixed period per running thread, so an activity's share of the
 * samples is its share of the CPU the Java threads used.
 */
final class CpuProfile {

    /** An activity of the command path, recognised by a frame (class name prefix, optionally {@code #method}). */
    record Activity(String name, List<String> frames) {
        boolean in(List<String> stack) {
            for (String s : stack) {
                for (String f : frames) {
                    if (s.startsWith(f)) return true;
                }
            }
            return false;
        }
    }

    /**
     * In order: the first that matches a sample takes it. Cross-cutting work (logging, telemetry)
     * comes first, so that it is counted as itself wherever it happens.
     */
    static final List<Activity> ACTIVITIES = List.of(
            new Activity("logging", List.of("ch.qos.logback.", "org.slf4j.", "dev.opsbot.app.logging.")),
            new Activity("telemetry (metrics, log context)", List.of("io.prometheus.", "io.micrometer.",
                    "dev.opsbot.app.telemetry.", "dev.opsbot.core.telemetry.", "dev.opsbot.core.dispatch.CommandTally")),
            new Activity("audit row (hash chain, H2 write and commit)", List.of("dev.opsbot.core.store.AuditLog")),
            new Activity("rate limiting", List.of("dev.opsbot.core.access.RateLimiter")),
            new Activity("runbook catalog refresh", List.of("dev.opsbot.core.runbook.RunbookCatalog#refresh")),
            new Activity("compose file (Stack.load)", List.of("dev.opsbot.core.engine.Stack#load", "dev.opsbot.core.compose.")),
            new Activity("Docker Engine call (ps)", List.of("dev.opsbot.core.dockerjava.", "com.github.dockerjava.")),
            new Activity("Block Kit and Web API calls (render, JSON, okhttp)", List.of("dev.opsbot.slack.SlackAdapter#post",
                    "dev.opsbot.slack.SlackAdapter#whisper", "dev.opsbot.slack.SlackAdapter#reply", "dev.opsbot.slack.SlackAdapter#update",
                    "dev.opsbot.slack.SlackWebApi", "dev.opsbot.slack.BlockKitRenderer", "dev.opsbot.core.secrets.RedactingChatPort")),
            new Activity("Discord REST calls (JDA, okhttp)", List.of("dev.opsbot.discord.DiscordAdapter", "net.dv8tion.jda.internal.requests.")),
            new Activity("command pipeline (parse, access, builtin)", List.of("dev.opsbot.core.dispatch.", "dev.opsbot.core.builtin.",
                    "dev.opsbot.core.command.", "dev.opsbot.core.Bot", "dev.opsbot.core.env.")),
            new Activity("Slack request (Bolt: parse, signature, ack)", List.of("com.slack.api.bolt.", "dev.opsbot.slack.BoltRoutes",
                    "com.slack.api.app_backend.", "com.slack.api.socket_mode.")),
            new Activity("Discord gateway event (JDA)", List.of("net.dv8tion.jda.", "dev.opsbot.discord.")),
            new Activity("HTTP server (Jetty)", List.of("org.eclipse.jetty.")),
            new Activity("HTTP client (okhttp, outside a call above)", List.of("okhttp3.", "okio.")),
            new Activity("websocket (Java-WebSocket)", List.of("org.java_websocket.")),
            new Activity("database (other)", List.of("org.h2.", "com.zaxxer.hikari.", "dev.opsbot.core.store.")));
    static final String OTHER = "other";

    private final Map<String, Integer> byActivity = new LinkedHashMap<>();
    private final Map<String, Integer> byLeaf = new LinkedHashMap<>();
    private final Map<String, Integer> byFrame = new LinkedHashMap<>();
    private final Map<String, Integer> byThread = new LinkedHashMap<>();
    private int samples;
    private String focus;

    private CpuProfile() {
        for (Activity a : ACTIVITIES) byActivity.put(a.name(), 0);
        byActivity.put(OTHER, 0);
    }

    /** The execution samples recorded between {@code from} and {@code to} (null: all). */
    static CpuProfile read(Path recording, Instant from, Instant to) throws IOException {
        return read(recording, from, to, null);
    }

    /** Only the samples with a frame starting with {@code focus} (null: all). */
    static CpuProfile read(Path recording, Instant from, Instant to, String focus) throws IOException {
        CpuProfile p = new CpuProfile();
        p.focus = focus;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
                if (from != null && e.getStartTime().isBefore(from)) continue;
                if (to != null && e.getStartTime().isAfter(to)) continue;
                p.add(e);
            }
        }
        return p;
    }

    private void add(RecordedEvent e) {
        RecordedStackTrace trace = e.getStackTrace();
        if (trace == null) return;
        List<String> stack = new ArrayList<>();
        for (RecordedFrame f : trace.getFrames()) {
            if (!f.isJavaFrame()) continue;
            stack.add(f.getMethod().getType().getName() + "#" + f.getMethod().getName());
        }
        if (stack.isEmpty()) return;
        if (focus != null && stack.stream().noneMatch(f -> f.startsWith(focus))) return;
        samples++;
        String activity = OTHER;
        for (Activity a : ACTIVITIES) {
            if (a.in(stack)) {
                activity = a.name();
                break;
            }
        }
        byActivity.merge(activity, 1, Integer::sum);
        byLeaf.merge(stack.get(0), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        for (String s : stack) {
            if (seen.add(s)) byFrame.merge(s, 1, Integer::sum);
        }
        Object thread = e.getValue("sampledThread");
        String name = thread instanceof RecordedThread t ? t.getJavaName() : "?";
        byThread.merge(name == null ? "?" : name.replaceAll("\\d+", "N"), 1, Integer::sum);
    }

    int samples() {
        return samples;
    }

    /** Each activity's share of the samples (0 to 1), in the order of {@link #ACTIVITIES}, then "other". */
    Map<String, Double> shares() {
        Map<String, Double> out = new LinkedHashMap<>();
        byActivity.forEach((k, v) -> out.put(k, samples == 0 ? 0 : (double) v / samples));
        return out;
    }

    /** Ad hoc: {@code CpuProfile <file.jfr> [frame prefix]} prints the activities, then the hottest frames. */
    public static void main(String[] args) throws IOException {
        CpuProfile p = read(Path.of(args[0]), null, null, args.length > 1 ? args[1] : null);
        System.out.println(p.samples + " samples");
        p.shares().forEach((k, v) -> System.out.printf(Locale.ROOT, "%6.1f %%  %s%n", 100 * v, k));
        print("threads", p.byThread, 30, p.samples);
        print("leaf methods (self)", p.byLeaf, 50, p.samples);
        print("frames (inclusive)", p.byFrame, 150, p.samples);
    }

    private static void print(String title, Map<String, Integer> counts, int top, int samples) {
        System.out.println();
        System.out.println(title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(top)
                .forEach(en -> System.out.printf(Locale.ROOT, "%6.1f %%  %s%n", 100.0 * en.getValue() / samples, en.getKey()));
    }
}
