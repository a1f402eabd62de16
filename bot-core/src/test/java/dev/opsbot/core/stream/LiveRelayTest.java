package dev.opsbot.core.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.secrets.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class LiveRelayTest {
    private final ScheduledExecutorService ticker = Executors.newScheduledThreadPool(1);
    private static final MessageRef LIVE = new MessageRef(ChannelRef.of("t", "c"), "m1");

    /** A port that records updates with their times and can fail the first N like a rate limit. */
    static final class TimedPort implements ChatPort {
        final List<Long> updateTimes = new CopyOnWriteArrayList<>();
        final List<String> shown = new CopyOnWriteArrayList<>();
        final AtomicInteger failNext = new AtomicInteger();
        final ChatLimits limits;

        TimedPort(ChatLimits limits) {
            this.limits = limits;
        }

        @Override public String platform() { return "t"; }
        @Override public ChatLimits limits() { return limits; }
        @Override public MessageRef post(ChannelRef c, Message m) { return LIVE; }
        @Override public MessageRef reply(MessageRef p, Message m) { return LIVE; }
        @Override public void whisper(Origin o, Message m) { }
        @Override public void attach(MessageRef p, String f, Path file) { }

        @Override
        public void update(MessageRef ref, Message m) {
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new IllegalStateException("429 Too Many Requests");
            updateTimes.add(System.nanoTime());
            shown.add(m.code());
        }
    }

    @AfterEach
    void stop() {
        ticker.shutdownNow();
    }

    private static Message render(String tail) {
        return Message.of(Tone.PROGRESS, "run", "").withCode(tail);
    }

    @Test
    void aFloodOfOutputIsCoalescedWithinThePlatformIntervalAndNothingIsLostFromTheLog(@TempDir Path dir) throws Exception {
        TimedPort port = new TimedPort(new ChatLimits(3000, 500, Duration.ofMillis(200)));
        LiveRelay relay = new LiveRelay(port, LIVE, s -> s, LiveRelayTest::render, dir.resolve("run.log"), ticker);
        StringBuilder expected = new StringBuilder();
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            String line = "line " + i + " " + "x".repeat(i % 50) + "\n";
            expected.append(line);
            // arbitrary chunking, as container frames arrive
            int cut = i % 7;
            relay.write(line.substring(0, Math.min(cut, line.length())));
            relay.write(line.substring(Math.min(cut, line.length())));
        }
        Thread.sleep(450);
        Path log = relay.finish();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(expected.toString(), Files.readString(log), "the full log holds every line, in order");
        for (int i = 1; i < port.updateTimes.size() - 1; i++) {
            long gapMs = (port.updateTimes.get(i) - port.updateTimes.get(i - 1)) / 1_000_000;
            assertTrue(gapMs >= 150, "updates " + i + " came " + gapMs + " ms apart, faster than the 200 ms limit");
        }
        assertTrue(port.updateTimes.size() <= elapsedMs / 200 + 2, port.updateTimes.size() + " updates in " + elapsedMs + " ms");
        String last = port.shown.get(port.shown.size() - 1);
        assertTrue(last.length() <= 500, "the live view stays within the limit: " + last.length());
        assertTrue(last.endsWith("line 99999 " + "x".repeat(99_999 % 50)), "the live view ends with the newest line");
        assertTrue(last.startsWith("…\n"), "a cut view says it was cut");
    }

    @Test
    void linesAreRedactedWithTheSecretsKnownWhenTheyAreWrittenEvenWhenAFrameSplitsThem(@TempDir Path dir) throws Exception {
        TimedPort port = new TimedPort(new ChatLimits(3000, 500, Duration.ofMillis(100)));
        java.util.concurrent.atomic.AtomicReference<java.util.Set<String>> secrets =
                new java.util.concurrent.atomic.AtomicReference<>(java.util.Set.of("hunter22"));
        LiveRelay relay = new LiveRelay(port, LIVE, new Redactor(secrets::get), LiveRelayTest::render, dir.resolve("run.log"), ticker);
        relay.write("▶ step\npassword hun");
        relay.write("ter22 ok\n");
        secrets.set(java.util.Set.of("hunter22", "rotated-99"));
        relay.write("new rotated-99\n");
        for (int i = 0; i < 2000; i++) relay.write("filler line " + i + " hunter22\n");
        Path log = relay.finish();
        String text = Files.readString(log);
        assertTrue(text.startsWith("▶ step\npassword [redacted] ok\nnew [redacted]\n"), text.substring(0, 80));
        assertFalse(text.contains("hunter22") || text.contains("rotated-99"), "no secret reaches the log");
        assertFalse(port.shown.stream().anyMatch(v -> v.contains("hunter22")), "no secret reaches the live view");
        assertTrue(port.shown.get(port.shown.size() - 1).endsWith("filler line 1999 [redacted]"));
    }

    @Test
    void aRateLimitedUpdateIsRetriedAndTheFinalStateArrives(@TempDir Path dir) throws Exception {
        TimedPort port = new TimedPort(new ChatLimits(3000, 500, Duration.ofMillis(100)));
        port.failNext.set(3);
        LiveRelay relay = new LiveRelay(port, LIVE, s -> s, LiveRelayTest::render, dir.resolve("run.log"), ticker);
        relay.line("first");
        Thread.sleep(250);
        relay.line("last");
        relay.finish();
        assertEquals(0, port.failNext.get(), "the failing updates were tried");
        assertTrue(port.shown.get(port.shown.size() - 1).endsWith("first\nlast"), port.shown.toString());
    }

    @Test
    void secretsNeverReachTheChatOrTheLog(@TempDir Path dir) throws Exception {
        TimedPort port = new TimedPort(new ChatLimits(3000, 500, Duration.ofMillis(50)));
        Redactor redactor = new Redactor(() -> List.of("hunter2-super-secret"));
        LiveRelay relay = new LiveRelay(port, LIVE, redactor, LiveRelayTest::render, dir.resolve("run.log"), ticker);
        relay.write("SECRET_KEY=hunter2-sup");
        relay.write("er-secret token xoxb-1234567890-abcdefghij\n");
        relay.line("sk-abcdefghijklmnopqrstuv and ghp_abcdefghijklmnopqrstuvwxyz0123456789");
        Path log = relay.finish();
        String all = Files.readString(log) + String.join("", port.shown);
        assertFalse(all.contains("hunter2"), all);
        assertFalse(all.contains("xoxb-1234567890"), all);
        assertFalse(all.contains("sk-abcdefghijkl"), all);
        assertFalse(all.contains("ghp_abcdefghij"), all);
        assertTrue(Files.readString(log).contains("SECRET_KEY=[redacted]"));
    }
}
