package dev.opsbot.core.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.opsbot.core.chat.Field;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.health.HealthMonitor;
import dev.opsbot.core.health.MonitorSettings;
import dev.opsbot.core.health.Severity;
import dev.opsbot.core.replica.Replicas.Replica;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas watching one demo stack on the real engine: only the leader alerts; an Acknowledge
 * pressed on the other reaches the alert; when the leader is killed, the other takes over without
 * announcing again what was announced, and alerts what failed while nobody watched, once.
 */
@Timeout(240)
class HealthFailoverTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final Duration ALERT = Duration.ofSeconds(30);
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    DockerEngine engine;
    DemoStack stack;

    @BeforeEach
    void up() throws Exception {
        engine = DockerSupport.connect();
        stack = new DemoStack(engine.host(), dir);
        stack.upAndMigrate();
        awaitTrue("backend, proxy and web healthy", () -> {
            var s = stack.services();
            return List.of("backend", "proxy", "web").stream().allMatch(n -> s.containsKey(n) && s.get(n).health().equals("healthy"));
        }, Duration.ofSeconds(60));
    }

    @AfterEach
    void down() {
        if (stack != null) stack.close();
        if (engine != null) engine.close();
    }

    @Test
    void theLeaderAlertsOnceAndAfterItIsKilledTheOtherAnnouncesOnlyWhatFailedMeanwhile() throws Exception {
        MonitorSettings settings = new MonitorSettings(true, List.of(), null, null,
                Map.of(Severity.CRITICAL, List.of(RecordingChatPort.CHANNEL)), 0, null, Duration.ofSeconds(30), Duration.ofSeconds(1), null);
        Function<Database, HealthMonitor> monitor = db -> new HealthMonitor(stack.stack(), settings, engine.host(), engine.watch(), db,
                new Redactor(List::of), Clock.systemUTC());
        try (Replicas replicas = new Replicas(POSTGRES.server(), POSTGRES.freshSchema(), dir, stack.stack(), engine.host(),
                RepoRoot.get().resolve("runbooks"));
             DockerClient behindItsBack = DockerSupport.client()) {
            RecordingChatPort chat = replicas.chat;
            replicas.start("a", monitor);
            Replica b = replicas.start("b", monitor);
            Thread.sleep(2000);
            backendHealth(false);
            Event backend = chat.awaitPostWithTitle(0, "Failing: backend healthcheck", ALERT);
            b.press("bob", backend, "Acknowledge", chat);
            chat.awaitState(backend.ref(), m -> field(m, "Acknowledged by").startsWith("bob"), QUICK);
            Thread.sleep(3000);
            assertEquals(1, posts(chat, "Failing: backend healthcheck"), "one alert from two replicas:\n" + chat.describe(0));

            replicas.kill("a");
            String worker = stack.services().get("worker").id();
            behindItsBack.stopContainerCmd(worker).withTimeout(2).exec();
            Event gap = chat.awaitPostWithTitle(0, "Failing: worker", ALERT);
            assertTrue(b.bot().leadership().leading(), "b took over");
            Thread.sleep(3000);
            assertEquals(1, posts(chat, "Failing: worker"), "the failure of the gap, once:\n" + chat.describe(0));
            assertEquals(1, posts(chat, "Failing: backend healthcheck"), "what a announced is not announced again:\n" + chat.describe(0));

            backendHealth(true);
            chat.awaitState(backend.ref(), m -> m.title().equals("Resolved: backend healthcheck"), ALERT);
            behindItsBack.startContainerCmd(worker).exec();
            chat.awaitState(gap.ref(), m -> m.title().startsWith("Resolved: worker"), ALERT);
            assertEquals(Optional.empty(), replicas.verifyAudit());
        }
    }

    private void backendHealth(boolean on) {
        List<String> command = on ? List.of("mv", "/www/health.off", "/www/health") : List.of("mv", "/www/health", "/www/health.off");
        StringBuilder out = new StringBuilder();
        int code = engine.host().exec(stack.project(), "backend", command, out::append, Duration.ofSeconds(10));
        assertEquals(0, code, "switching backend's health endpoint " + (on ? "on" : "off") + ": " + out);
    }

    private static long posts(RecordingChatPort chat, String titlePrefix) {
        return chat.events().stream().filter(e -> e.kind().equals("post") && e.message().title().startsWith(titlePrefix)).count();
    }

    private static String field(Message m, String name) {
        return m.fields().stream().filter(f -> f.name().equals(name)).map(Field::value).findFirst().orElse("");
    }

    private static void awaitTrue(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what);
            Thread.sleep(100);
        }
    }
}
