package dev.opsbot.core.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the health monitor saw of a run's services while it ran, one line per check that failed
 * at some point: failing since when (with its last output), or passing again since when. Checks
 * that only ever passed are not worth a line.
 */
final class MonitorNotes {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int MAX_OUTPUT = 160;

    private record Seen(boolean ok, String output, Instant failingSince, Instant passingSince) { }

    private final Map<String, Seen> byCheck = new LinkedHashMap<>();

    /** Notes one result; returns whether the lines changed. */
    synchronized boolean add(CheckResult r) {
        String key = r.service() + " " + r.check();
        Seen before = byCheck.get(key);
        Seen now;
        if (!r.ok()) {
            boolean failingAlready = before != null && !before.ok();
            now = new Seen(false, r.output(), failingAlready ? before.failingSince() : r.at(), null);
        } else if (before == null) {
            return false;
        } else {
            now = before.ok() ? before : new Seen(true, before.output(), before.failingSince(), r.at());
        }
        byCheck.put(key, now);
        return !now.equals(before);
    }

    /** "backend healthcheck failing since 10:02:03: exit 1: …", one line per check; empty when nothing failed. */
    synchronized String text() {
        List<String> lines = new ArrayList<>();
        byCheck.forEach((check, seen) -> lines.add(seen.ok()
                ? check + " failed at " + CLOCK.format(seen.failingSince()) + ", passing again since " + CLOCK.format(seen.passingSince())
                : check + " failing since " + CLOCK.format(seen.failingSince()) + (seen.output().isEmpty() ? "" : ": " + clip(seen.output()))));
        return String.join("\n", lines);
    }

    private static String clip(String output) {
        String first = output.lines().findFirst().orElse("");
        return first.length() <= MAX_OUTPUT ? first : first.substring(0, MAX_OUTPUT) + "…";
    }
}
