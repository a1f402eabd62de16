package dev.opsbot.core.health;

import static dev.opsbot.core.testing.DemoStack.BROKEN;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.LockStore;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence a new user tried on the demo stack: a good deploy, then the broken tag. The bad
 * deploy is one message set in the channel (the run's own message with its failure and what the
 * monitor saw, and the rollback offer), no alert while the run owns the services, one alert per
 * check that outlasts it, naming the run; and every rollback offered anywhere is the last good
 * release, sha-5d6e7f8, never the one before it.
 */
@Timeout(300)
class OneVoiceTest {
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Duration QUICK = Duration.ofSeconds(20);
    /** How long new alerts wait after the failed run, here: its message and rollback offer speak for it meanwhile. */
    private static final Duration AFTER_FAILED_RUN = Duration.ofSeconds(6);

    @TempDir
    Path dir;
    RecordingChatPort chat = new RecordingChatPort();

    @Test
    void aBadDeployIsOneMessageSetAndEveryRollbackItOffersIsTheLastGoodRelease() throws Exception {
        try (DockerEngine engine = DockerSupport.connect(); DemoStack stack = new DemoStack(engine.host(), dir)) {
            stack.upAndMigrate();
            awaitTrue("the stack is healthy", () -> List.of("backend", "proxy", "web").stream()
                    .allMatch(s -> "healthy".equals(stack.services().get(s).health())), Duration.ofSeconds(60));
            MonitorSettings settings = AlertHarness.dockerOnly(Duration.ofSeconds(1), Duration.ofSeconds(30)).withAfterFailedRun(AFTER_FAILED_RUN);
            try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, settings)) {
                awaitTrue("the event stream is connected", () -> h.monitor.events().connections() >= 1, QUICK);

                Message good = deploy(h, NEWER);
                assertEquals(Tone.SUCCESS, good.tone(), good.plainText());
                assertEquals(0, posts(0, "Failing:"), "recreating backend and worker is the run's business:\n" + chat.describe(0));

                int from = chat.size();
                Message bad = deploy(h, BROKEN);
                Instant failedAt = Instant.now();
                assertEquals(Tone.FAILURE, bad.tone(), bad.plainText());
                assertTrue(bad.text().contains("The health monitor saw during the run:") && bad.text().contains("backend healthcheck failing since"),
                        "what the monitor saw is in the run's own message: " + bad.text());
                Event offer = chat.awaitPostWithTitle(from, "failed: roll back?", QUICK);
                assertEquals(List.of("Roll back to " + NEWER), labels(chat.message(offer.ref())));
                assertEquals(List.of("post Confirm: deploy " + BROKEN, "post Running: deploy " + BROKEN + " (run #2)",
                        "reply Run #2 failed: roll back?"), messages(from), "one message set for the bad deploy");

                // Typed without a tag, the rollback proposes the same release.
                int typed = chat.size();
                h.type("alice", "rollback");
                Event suggested = chat.awaitPostWithTitle(typed, "Confirm: rollback " + NEWER, QUICK);
                h.press("alice", button(chat.message(suggested.ref()), "Cancel").token(), suggested.ref());
                chat.awaitState(suggested.ref(), m -> m.title().startsWith("Cancelled"), QUICK);

                // Still broken once the failed run's message had its time: alerted once per check, naming the run.
                Event backend = chat.awaitPostWithTitle(from, "Failing: backend healthcheck", QUICK);
                assertTrue(Duration.between(failedAt, Instant.now()).compareTo(AFTER_FAILED_RUN.minusSeconds(1)) >= 0,
                        "no alert while the failed run's message speaks for it");
                Event proxy = chat.awaitPostWithTitle(from, "Failing: proxy healthcheck", QUICK);
                for (Event alert : List.of(backend, proxy)) {
                    Message shown = chat.message(alert.ref());
                    assertTrue(shown.text().contains("After run #2, deploy " + BROKEN + ", failed: "), shown.plainText());
                    assertTrue(labels(shown).contains("Roll back to " + NEWER), shown.plainText());
                }
                Thread.sleep(3000);
                assertEquals(1, posts(from, "Failing: backend healthcheck"), chat.describe(from));
                assertEquals(1, posts(from, "Failing: proxy healthcheck"), chat.describe(from));
                assertEquals(0, posts(from, "Failing: backend container") + posts(from, "Failing: worker"), chat.describe(from));
            }

            // The bot is killed during a third attempt, after its pin: the rows it leaves are what the engine writes as it goes.
            try (Database db = Database.open(dir.resolve("db/opsbot"))) {
                long run = new RunStore(db).start("deploy", "deploy " + BROKEN, Map.of("tag", BROKEN), "test:alice",
                        RecordingChatPort.CHANNEL.toString(), 7);
                new RunStore(db).stepStarted(run, 6, "wait until backend, proxy are healthy");
                new LockStore(db).acquire("demo", run, "test:alice", "deploy " + BROKEN, Instant.now());
                new DeployStore(db).record(run, "demo", "backend", BROKEN, BROKEN, "test:alice", null, "running", false);
            }
            int restart = chat.size();
            try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, settings)) {
                Event interrupted = chat.awaitPostWithTitle(restart, "Run #3 was interrupted", QUICK);
                assertEquals(List.of("Resume at step 6", "Roll back to " + NEWER, "Acknowledge"), labels(chat.message(interrupted.ref())));
            }
            List<String> offered = chat.events().stream().filter(e -> e.message() != null).flatMap(e -> e.message().buttons().stream())
                    .map(Button::label).filter(l -> l.startsWith("Roll back to ")).distinct().toList();
            assertEquals(List.of("Roll back to " + NEWER), offered, "every rollback offered, on alerts, runs and after the restart");
        }
    }

    /** Types the deploy, confirms it, and returns the run's message once it has finished. */
    private Message deploy(AlertHarness h, String tag) throws InterruptedException {
        int from = chat.size();
        h.type("alice", "deploy " + tag);
        Event confirmation = chat.awaitPostWithTitle(from, "Confirm: deploy " + tag, QUICK);
        h.press("alice", button(chat.message(confirmation.ref()), "Confirm").token(), confirmation.ref());
        Event live = chat.awaitPostWithTitle(from, "Running: deploy " + tag, QUICK);
        return chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, RUN);
    }

    /** The posts and replies from {@code from} on, as "post <title as first shown>". */
    private List<String> messages(int from) {
        return chat.events().stream().skip(from).filter(e -> e.kind().equals("post") || e.kind().equals("reply"))
                .map(e -> e.kind() + " " + e.message().title()).toList();
    }

    private long posts(int from, String titlePrefix) {
        return chat.events().stream().skip(from).filter(e -> e.kind().equals("post") && e.message().title().startsWith(titlePrefix)).count();
    }

    private static List<String> labels(Message m) {
        return m.buttons().stream().map(Button::label).toList();
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
