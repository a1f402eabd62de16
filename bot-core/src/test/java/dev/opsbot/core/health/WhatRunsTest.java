package dev.opsbot.core.health;

import static dev.opsbot.core.testing.DemoStack.GOOD;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static dev.opsbot.core.testing.DemoStack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Field;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend started from another tag behind the bot's back: the confirmation a person approves,
 * {@code /ops ps}, {@code /ops history} and an alert all say what really runs (tag and registry
 * digest) and that it differs from the compose file.
 */
@Timeout(180)
class WhatRunsTest {
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    RecordingChatPort chat = new RecordingChatPort();

    @Test
    void aServiceStartedFromAnotherTagShowsItsDriftWhereverWhatRunsIsShown() throws Exception {
        try (DockerEngine engine = DockerSupport.connect(); DemoStack stack = new DemoStack(engine.host(), dir);
             DockerClient raw = DockerSupport.client()) {
            stack.upAndMigrate();
            stack.startBehindTheBotsBack("backend", VERSION);
            awaitTrue("backend runs " + VERSION + " and is healthy", () -> stack.services().get("backend").image().endsWith(":" + VERSION)
                    && "healthy".equals(stack.services().get("backend").health()), Duration.ofSeconds(60));
            String backendDigest = shortDigest(raw, "127.0.0.1:5000/opsbot-demo/backend:" + VERSION);
            String workerDigest = shortDigest(raw, "127.0.0.1:5000/opsbot-demo/worker:" + GOOD);

            try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, AlertHarness.dockerOnly(Duration.ofSeconds(1), Duration.ofSeconds(30)))) {
                awaitTrue("the event stream is connected", () -> h.monitor.events().connections() >= 1, QUICK);

                int from = chat.size();
                h.type("alice", "deploy " + NEWER);
                Event ask = chat.awaitPostWithTitle(from, "Confirm: deploy " + NEWER, QUICK);
                String confirmation = chat.message(ask.ref()).plainText();
                assertTrue(confirmation.contains("backend: " + GOOD + " -> " + NEWER + " · file says " + GOOD + ", running " + VERSION
                        + " (" + backendDigest + ")"), confirmation);
                assertTrue(confirmation.contains("worker: " + GOOD + " -> " + NEWER + " · running " + GOOD + " (" + workerDigest + ")"),
                        confirmation);
                h.press("alice", button(chat.message(ask.ref()), "Cancel").token(), ask.ref());
                chat.awaitState(ask.ref(), m -> m.title().startsWith("Cancelled"), QUICK);

                from = chat.size();
                h.type("alice", "ps");
                String ps = chat.awaitPostWithTitle(from, "Containers of demo", QUICK).message().code();
                assertTrue(ps.lines().anyMatch(l -> l.startsWith("backend ") && l.contains("backend:" + VERSION) && l.contains(backendDigest)), ps);
                assertTrue(ps.contains("drift: backend: file says " + GOOD + ", running " + VERSION), ps);
                assertEquals(1, ps.lines().filter(l -> l.startsWith("drift:")).count(), "only backend drifted:\n" + ps);

                from = chat.size();
                h.type("alice", "history");
                String history = chat.awaitPostWithTitle(from, "History of demo", QUICK).message().code();
                assertTrue(history.contains("backend file says " + GOOD + ", running " + VERSION + " (" + backendDigest + ")"), history);
                assertTrue(history.contains("worker running " + GOOD + " (" + workerDigest + ")"), history);

                from = chat.size();
                StringBuilder out = new StringBuilder();
                assertEquals(0, engine.host().exec(stack.project(), "backend", List.of("mv", "/www/health", "/www/health.off"), out::append,
                        Duration.ofSeconds(10)), out.toString());
                Event alert = chat.awaitPostWithTitle(from, "Failing: backend healthcheck", Duration.ofSeconds(30));
                assertEquals("file says " + GOOD + ", running " + VERSION + " (" + backendDigest + ")", field(chat.message(alert.ref()), "Running"));
            }
        }
    }

    /** "sha256:" and the first 12 hex digits of the image's registry digest, as the engine reports it. */
    private static String shortDigest(DockerClient raw, String image) {
        List<String> digests = raw.inspectImageCmd(image).exec().getRepoDigests();
        assertTrue(digests != null && !digests.isEmpty(), image + " has a registry digest");
        String digest = digests.get(0);
        return digest.substring(digest.indexOf('@') + 1, digest.indexOf('@') + 1 + "sha256:".length() + 12);
    }

    private static String field(Message m, String name) {
        return m.fields().stream().filter(f -> f.name().equals(name)).map(Field::value).findFirst()
                .orElseThrow(() -> new AssertionError("no field " + name + " on " + m.plainText()));
    }

    private static Button button(Message m, String labelStart) {
        return m.buttons().stream().filter(b -> b.label().startsWith(labelStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no button " + labelStart + " on " + m.plainText()));
    }

    private static void awaitTrue(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what);
            Thread.sleep(100);
        }
    }
}
