package dev.opsbot.bench;

import dev.opsbot.slack.FakeSlack;
import dev.opsbot.slack.FakeSocketMode;
import dev.opsbot.slack.SlackPayloads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /ops help} typed through Slack's Socket Mode (the fake spreads the envelopes over the
 * replicas' connections), each by a different person so no rate limit refuses one, each with a
 * response URL of its own: when it was sent, acknowledged and answered.
 */
final class SocketModeCommands {
    static final String CHANNEL = "C0BENCH";

    /** One command: its response URL's key, its envelope, when it was sent (nanoTime). */
    record Sent(String key, String envelopeId, long atNanos) { }

    private final FakeSlack slack;
    private final String tag;
    private final List<Sent> sent = new ArrayList<>();
    private final AtomicInteger count = new AtomicInteger();

    SocketModeCommands(FakeSlack slack, String tag) {
        this.slack = slack;
        this.tag = tag;
    }

    Sent type() throws InterruptedException {
        String key = tag + "x" + count.incrementAndGet();
        long at = System.nanoTime();
        String id = slack.socketMode().send("slash_commands", SlackPayloads.toJson(SlackPayloads.slashCommand(CHANNEL, "U" + key,
                "bench-" + key, "help", slack.responseUrl(key), "trigger-" + key)));
        Sent s = new Sent(key, id, at);
        synchronized (sent) {
            sent.add(s);
        }
        return s;
    }

    /** Open loop: {@code rate} commands a second for {@code window}, each sent when due whatever the answers do. */
    List<Sent> atRate(int rate, Duration window) throws InterruptedException {
        int n = (int) (rate * window.toMillis() / 1000);
        long start = System.nanoTime();
        long period = 1_000_000_000L / rate;
        List<Sent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long wait = start + i * period - System.nanoTime();
            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            out.add(type());
        }
        return out;
    }

    List<Sent> all() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** When each command's answer reached its response URL (nanoTime), by key. */
    Map<String, Long> answers() {
        Map<String, Long> at = new HashMap<>();
        for (FakeSlack.Call c : slack.calls("response_url")) at.putIfAbsent(c.param("id"), c.atNanos());
        return at;
    }

    /** Waits until every command in {@code which} was answered, or nothing more came for {@code quiet}; those unanswered. */
    List<Sent> awaitAnswers(List<Sent> which, Duration quiet) throws InterruptedException {
        long lastProgress = System.nanoTime();
        int seen = -1;
        while (true) {
            Map<String, Long> answered = answers();
            List<Sent> missing = which.stream().filter(s -> !answered.containsKey(s.key())).toList();
            if (missing.isEmpty()) return missing;
            if (missing.size() != seen) {
                seen = missing.size();
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > quiet.toNanos()) {
                return missing;
            }
            Thread.sleep(50);
        }
    }

    /** Milliseconds from each command's first delivery to its acknowledgement, of those acknowledged. */
    List<Double> ackMillis(List<Sent> which) {
        List<Double> out = new ArrayList<>();
        for (Sent s : which) {
            FakeSocketMode.Ack ack = slack.socketMode().ack(s.envelopeId());
            List<FakeSocketMode.Delivery> deliveries = slack.socketMode().deliveries(s.envelopeId());
            if (ack == null || deliveries.isEmpty()) continue;
            out.add((ack.atNanos() - deliveries.get(0).atNanos()) / 1e6);
        }
        return out;
    }
}
