package dev.opsbot.core.health;

import static dev.opsbot.core.testing.DemoStack.GOOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every state Docker can see of a service container, made on the real engine by a container of
 * the watched project started behind the bot's back: each is alerted once, within 5 s of what
 * caused it (Docker's own time of the event, or of the exit), while the periodic re-read is set
 * to ten minutes so it cannot be what noticed. One monitor for the class; each test its own service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ContainerStatesTest {
    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final String IMAGE = "127.0.0.1:5000/opsbot-demo/backend:" + GOOD;
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    static Path dir;
    DockerEngine engine;
    DockerClient raw;
    DemoStack stack;
    RecordingChatPort chat = new RecordingChatPort();
    AlertHarness h;
    final List<String> started = new CopyOnWriteArrayList<>();

    @BeforeAll
    void watch() throws Exception {
        engine = DockerSupport.connect();
        raw = DockerSupport.client();
        stack = new DemoStack(engine.host(), dir);
        h = new AlertHarness(dir, stack.stack(), engine, chat, AlertHarness.dockerOnly(Duration.ofSeconds(1), Duration.ofMinutes(10)));
        awaitTrue("the event stream is connected", () -> h.monitor.events().connections() >= 1, QUICK);
    }

    @AfterAll
    void stop() throws Exception {
        if (h != null) h.close();
        // Killed at once: a plain sleep as the first process ignores the polite stop and would hold it ten seconds.
        for (String id : started) raw.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        if (stack != null) stack.close();
        if (raw != null) raw.close();
        if (engine != null) engine.close();
    }

    @Test
    void aPausedContainerIsAlertedAtOnceAndItsRecoveryBringsNoHealthcheckAlert() throws Exception {
        String id = start("frozen", c -> c.withCmd("sleep", "1000").withHealthcheck(everySecond(List.of("CMD", "true"))));
        awaitTrue("frozen is healthy", () -> "healthy".equals(health(id)), QUICK);
        raw.pauseContainerCmd(id).exec();
        Event alert = chat.awaitPostWithTitle(0, "Failing: frozen container", WITHIN);
        assertTrue(chat.message(alert.ref()).code().contains("frozen-1 is paused"), chat.message(alert.ref()).plainText());
        assertWithin(alert("frozen", "container"));

        raw.unpauseContainerCmd(id).exec();
        chat.awaitState(alert.ref(), m -> m.title().equals("Resolved: frozen container"), WITHIN);
        // Docker reports it unhealthy until its healthcheck runs again, though no check failed.
        Thread.sleep(3000);
        assertEquals(0, posts("Failing: frozen healthcheck"), chat.describe(0));
        assertEquals(1, posts("Failing: frozen container"), chat.describe(0));
    }

    @Test
    void aCrashLoopIsOneAlertThatCountsTheRestarts() throws Exception {
        String id = start("crashing", c -> c.withCmd("sh", "-c", "sleep 1; exit 3")
                .withHostConfig(HostConfig.newHostConfig().withRestartPolicy(RestartPolicy.alwaysRestart())));
        Event alert = chat.awaitPostWithTitle(0, "Failing: crashing container", QUICK);
        AlertRecord row = alert("crashing", "container");
        assertWithin(row);
        String first = chat.message(alert.ref()).code();
        assertTrue(first.contains("is restarting in a loop: it died 3 times in ") && first.contains("last with exit code 3"), first);

        awaitTrue("Docker restarted it five times", () -> raw.inspectContainerCmd(id).exec().getRestartCount() >= 5, Duration.ofSeconds(40));
        Thread.sleep(1500);
        String later = chat.message(alert.ref()).code();
        assertTrue(later.contains("Docker has restarted it ") && !later.equals(first), "the same message counts on: " + later);
        assertEquals(1, posts("Failing: crashing container"), chat.describe(0));
        assertEquals(0, chat.events().stream().filter(e -> e.kind().equals("reply") && e.message().title().contains("crashing")).count(),
                "no reply per restart:\n" + chat.describe(0));
        raw.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        started.remove(id);
    }

    @Test
    void aContainerKilledForMemoryIsAlertedOnce() throws Exception {
        String id = start("hungry", c -> c.withCmd("sh", "-c", "a=xxxxxxxxxxxxxxxx; while true; do a=$a$a; done")
                .withHostConfig(HostConfig.newHostConfig().withMemory(8L << 20).withMemorySwap(8L << 20)));
        Event alert = chat.awaitPostWithTitle(0, "Failing: hungry container", QUICK);
        assertWithin(alert("hungry", "container"));
        Thread.sleep(2500);
        assertTrue(Boolean.TRUE.equals(raw.inspectContainerCmd(id).exec().getState().getOOMKilled()), "the kernel killed it for memory");
        assertTrue(chat.message(alert.ref()).code().contains("hungry-1 was killed: out of memory"), chat.message(alert.ref()).plainText());
        assertEquals(1, posts("Failing: hungry container"), chat.describe(0));
    }

    @Test
    void anExitedContainerIsAlertedWithItsExitCode() throws Exception {
        String id = start("quitter", c -> c.withCmd("sh", "-c", "sleep 1; exit 3"));
        Event alert = chat.awaitPostWithTitle(0, "Failing: quitter container", QUICK);
        Instant exited = Instant.parse(raw.inspectContainerCmd(id).exec().getState().getFinishedAt());
        Duration latency = Duration.between(exited, alert("quitter", "container").postedAt());
        assertTrue(latency.compareTo(WITHIN) < 0, "posted " + latency + " after it exited");
        assertTrue(chat.message(alert.ref()).code().contains("quitter-1 is not running: it exited with code 3"),
                chat.message(alert.ref()).plainText());
        Thread.sleep(1500);
        assertEquals(1, posts("Failing: quitter container"), chat.describe(0));
    }

    @Test
    void anUnhealthyContainerIsAlertedFromItsEvent() throws Exception {
        start("sickly", c -> c.withCmd("sleep", "1000").withHealthcheck(everySecond(List.of("CMD", "false"))));
        Event alert = chat.awaitPostWithTitle(0, "Failing: sickly healthcheck", QUICK);
        assertWithin(alert("sickly", "healthcheck"));
        assertTrue(chat.message(alert.ref()).code().startsWith("exit 1"), chat.message(alert.ref()).plainText());
        Thread.sleep(1500);
        assertEquals(1, posts("Failing: sickly healthcheck"), chat.describe(0));
    }

    @Test
    void aHealthcheckThatTimesOutIsAlerted() throws Exception {
        start("slowpoke", c -> c.withCmd("sleep", "1000")
                .withHealthcheck(everySecond(List.of("CMD", "sleep", "5")).withTimeout(SECOND)));
        Event alert = chat.awaitPostWithTitle(0, "Failing: slowpoke healthcheck", QUICK);
        assertWithin(alert("slowpoke", "healthcheck"));
        assertTrue(chat.message(alert.ref()).code().contains("exceeded timeout"), chat.message(alert.ref()).plainText());
        Thread.sleep(1500);
        assertEquals(1, posts("Failing: slowpoke healthcheck"), chat.describe(0));
    }

    /** Starts a container of the watched project for {@code service}, labelled as Docker Compose labels its own. */
    private String start(String service, Consumer<CreateContainerCmd> shape) {
        String project = stack.project().name();
        CreateContainerCmd cmd = raw.createContainerCmd(IMAGE).withName(project + "-" + service + "-1")
                .withLabels(Map.of("com.docker.compose.project", project, "com.docker.compose.service", service,
                        "com.docker.compose.oneoff", "False"));
        shape.accept(cmd);
        String id = cmd.exec().getId();
        started.add(id);
        raw.startContainerCmd(id).exec();
        return id;
    }

    private static HealthCheck everySecond(List<String> test) {
        return new HealthCheck().withTest(test).withInterval(SECOND).withRetries(2);
    }

    private String health(String id) {
        HealthState health = raw.inspectContainerCmd(id).exec().getState().getHealth();
        return health == null ? "" : health.getStatus();
    }

    /** The alert went out within 5 s of the engine's event that raised it. */
    private static void assertWithin(AlertRecord row) {
        assertTrue(row.eventTimeNanos() != null, "raised by an event of the engine: " + row);
        Duration latency = Duration.between(Instant.ofEpochSecond(0, row.eventTimeNanos()), row.postedAt());
        assertTrue(latency.compareTo(WITHIN) < 0, row.service() + " " + row.check() + " posted " + latency + " after Docker's event");
    }

    private AlertRecord alert(String service, String check) {
        return h.monitor.openAlerts().stream().filter(a -> a.service().equals(service) && a.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no open alert for " + service + " " + check + ": " + h.monitor.openAlerts()));
    }

    private long posts(String title) {
        return chat.events().stream().filter(e -> e.kind().equals("post") && e.message().title().equals(title)).count();
    }

    private static void awaitTrue(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what);
            Thread.sleep(100);
        }
    }
}
