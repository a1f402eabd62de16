package dev.opsbot.core.health;

import static dev.opsbot.core.testing.DemoStack.BROKEN;
import static dev.opsbot.core.testing.DemoStack.GOOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Field;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.stream.OutputSink;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health alerts against a real Docker engine: each test owns a copy of the demo stack and makes
 * one of its services fail the way production would (its health endpoint gone, a broken tag, a
 * stopped proxy), then checks what the channel shows.
 */
@Timeout(180)
class HealthAlertsTest {
    private static final Duration ALERT = Duration.ofSeconds(30);
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    DockerEngine engine;
    DockerHost docker;
    DemoStack stack;
    RecordingChatPort chat = new RecordingChatPort();

    @BeforeEach
    void up() throws Exception {
        engine = DockerSupport.connect();
        docker = engine.host();
        stack = new DemoStack(docker, dir);
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
    void anUnhealthyServiceIsAlertedOnceWithButtonsAndTheSameMessageShowsItsRecovery() throws Exception {
        try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, AlertHarness.dockerOnly(Duration.ofSeconds(1), Duration.ofSeconds(30)))) {
            awaitTrue("the event stream is connected", () -> h.monitor.events().connections() >= 1, QUICK);
            int from = chat.size();
            backendHealth(false);
            Event alert = chat.awaitPostWithTitle(from, "Failing: backend healthcheck", ALERT);
            Message shown = chat.message(alert.ref());
            assertTrue(shown.code().contains("404"), "the healthcheck's last output: " + shown.plainText());
            assertEquals(List.of("Acknowledge", "Show logs", "Run health runbook"), labels(shown));

            AlertRecord row = alert("backend", "healthcheck", h);
            assertTrue(row.eventTimeNanos() != null, "the engine's event time is kept");
            Duration latency = Duration.between(Instant.ofEpochSecond(0, row.eventTimeNanos()), row.postedAt());
            assertTrue(latency.compareTo(Duration.ofSeconds(3)) < 0, "posted " + latency + " after Docker reported it");

            int beforeLogs = chat.size();
            h.press("alice", button(shown, "Show logs").token(), alert.ref());
            Event logs = chat.awaitPostWithTitle(beforeLogs, "Last 50 lines of backend", QUICK);
            assertTrue(logs.message().code().contains("backend"), logs.message().plainText());
            assertEquals("Failing: backend healthcheck", chat.message(alert.ref()).title(), "the alert stays as it was");

            h.press("alice", button(shown, "Acknowledge").token(), alert.ref());
            Message acked = chat.awaitState(alert.ref(), m -> field(m, "Acknowledged by").startsWith("alice"), QUICK);
            assertEquals(List.of("Show logs", "Run health runbook"), labels(acked));
            chat.await(from, e -> e.kind().equals("reply") && e.message().title().equals("Acknowledged: backend healthcheck"), QUICK);

            Thread.sleep(5000);
            assertEquals(1, count(0, "Failing: backend healthcheck"), "one alert, however long it fails:\n" + chat.describe(0));

            backendHealth(true);
            Message resolved = chat.awaitState(alert.ref(), m -> m.title().equals("Resolved: backend healthcheck"), ALERT);
            assertTrue(resolved.text().startsWith("Resolved after "), resolved.text());
            assertTrue(resolved.buttons().isEmpty(), "no buttons on a resolved alert");
            chat.await(from, e -> e.kind().equals("reply") && e.ref().channel().equals(alert.ref().channel())
                    && e.message().title().equals("Recovered: backend healthcheck"), QUICK);
            assertEquals(1, count(0, "Failing: backend healthcheck"));
        }
    }

    @Test
    void aBrokenTagDeployedJustBeforeIsNamedAndRollingBackGoesThroughTheTypedCommand() throws Exception {
        try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, AlertHarness.dockerOnly(Duration.ofSeconds(1), Duration.ofSeconds(30)))) {
            awaitTrue("the event stream is connected", () -> h.monitor.events().connections() >= 1, QUICK);
            h.bot.services().deploys().record(1, "demo", "backend", "sha-0000000", GOOD, "test:alice", null, "succeeded", true);
            new ImagePinner().pinFile(stack.composeFile(), Map.of("backend", BROKEN));
            h.bot.services().deploys().record(2, "demo", "backend", GOOD, BROKEN, "test:bob", null, "succeeded", false);
            int from = chat.size();
            docker.up(stack.project(), List.of("backend"), false, OutputSink.NONE, Duration.ofMinutes(1));

            Event alert = chat.awaitPostWithTitle(from, "Failing: backend healthcheck", ALERT);
            Message shown = chat.message(alert.ref());
            assertTrue(field(shown, "Deployed just before").contains("backend " + GOOD + " -> " + BROKEN + " by bob"), shown.plainText());
            assertEquals(List.of("Acknowledge", "Show logs", "Run health runbook", "Roll back to " + GOOD), labels(shown));

            int beforePress = chat.size();
            h.press("carol", button(shown, "Roll back to").token(), alert.ref());
            Event confirm = chat.awaitPostWithTitle(beforePress, "Confirm: rollback " + GOOD, QUICK);
            assertTrue(chat.message(confirm.ref()).plainText().contains("only carol can confirm"), "asked as the presser, like typing it");
            assertEquals(0, count(from, "Failing: container"), "recreating backend is not a container failure");
        }
    }

    @Test
    void anHttpProbeAgainstAStoppedProxyAlertsAndRecovers() throws Exception {
        ProbeSpec.Http probe = new ProbeSpec.Http("api-health", "proxy", null, 80, "/api/v1/health", 200, "ok", Duration.ofSeconds(2),
                Duration.ofSeconds(1), Severity.CRITICAL, new Thresholds(2, 1));
        ProbeSpec.Exec slow = new ProbeSpec.Exec("slow", "worker", List.of("sleep", "4"), Duration.ofSeconds(10), Duration.ofSeconds(1),
                Severity.WARNING, null);
        MonitorSettings settings = new MonitorSettings(false, List.of(probe, slow), null, null,
                Map.of(Severity.CRITICAL, List.of(RecordingChatPort.CHANNEL)), 0, null, null, null, null);
        try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, settings);
             DockerClient behindItsBack = DockerSupport.client()) {
            Thread.sleep(3000);
            assertEquals(0, count(0, "Failing:"), "a passing probe says nothing:\n" + chat.describe(0));
            String proxy = stack.services().get("proxy").id();
            int from = chat.size();
            Instant stopped = Instant.now();
            behindItsBack.stopContainerCmd(proxy).withTimeout(2).exec();
            Event alert = chat.awaitPostWithTitle(from, "Failing: proxy api-health", ALERT);
            assertTrue(Duration.between(stopped, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0,
                    "two 1 s probes fail long before the slow one would let them");
            assertTrue(!chat.message(alert.ref()).code().isEmpty(), "what the probe saw is shown");

            behindItsBack.startContainerCmd(proxy).exec();
            chat.awaitState(alert.ref(), m -> m.title().equals("Resolved: proxy api-health"), ALERT);
        }
    }

    @Test
    void aFailureWhileTheEventStreamIsBrokenIsAlertedOnceItReconnects() throws Exception {
        try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, AlertHarness.dockerOnly(Duration.ofSeconds(15), Duration.ofMinutes(10)))) {
            EventWatcher events = h.monitor.events();
            awaitTrue("the event stream is connected", () -> events.connections() == 1, QUICK);
            int from = chat.size();
            events.breakStream();
            backendHealth(false);
            awaitTrue("Docker reports backend unhealthy", () -> stack.services().get("backend").health().equals("unhealthy"), QUICK);
            assertEquals(1, events.connections(), "still in the gap when Docker reported it");
            Event alert = chat.awaitPostWithTitle(from, "Failing: backend healthcheck", ALERT);
            assertEquals(2, events.connections(), "alerted after reconnecting");
            assertTrue(chat.message(alert.ref()).code().contains("404"), chat.message(alert.ref()).plainText());
            Thread.sleep(3000);
            assertEquals(1, count(from, "Failing: backend healthcheck"), "the replayed event and the re-read state make one alert");
        }
    }

    @Test
    void aRestartDuringAnOpenAlertNeitherPostsItAgainNorForgetsIt() throws Exception {
        Event alert;
        long id;
        try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, AlertHarness.dockerOnly(Duration.ofSeconds(1), Duration.ofSeconds(30)))) {
            awaitTrue("the event stream is connected", () -> h.monitor.events().connections() >= 1, QUICK);
            backendHealth(false);
            alert = chat.awaitPostWithTitle(0, "Failing: backend healthcheck", ALERT);
            id = alert("backend", "healthcheck", h).id();
        }
        int afterRestart = chat.size();
        try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, AlertHarness.dockerOnly(Duration.ofSeconds(1), Duration.ofSeconds(2)))) {
            awaitTrue("the event stream is connected", () -> h.monitor.events().connections() >= 1, QUICK);
            Thread.sleep(5000);
            assertEquals(0, count(afterRestart, "Failing: backend"), "not posted again:\n" + chat.describe(afterRestart));
            assertEquals(id, alert("backend", "healthcheck", h).id(), "still open after the restart");
            int before = chat.size();
            h.type("alice", "alerts");
            Event list = chat.awaitPostWithTitle(before, "open alert", QUICK);
            assertTrue(list.message().code().contains("#" + id + "  backend healthcheck"), list.message().plainText());

            backendHealth(true);
            chat.awaitState(alert.ref(), m -> m.title().equals("Resolved: backend healthcheck"), ALERT);
        }
    }

    @Test
    void aMutedServiceIsNotAlertedUntilTheMuteEnds() throws Exception {
        try (AlertHarness h = new AlertHarness(dir, stack.stack(), engine, chat, AlertHarness.dockerOnly(Duration.ofSeconds(1), Duration.ofSeconds(2)))) {
            awaitTrue("the event stream is connected", () -> h.monitor.events().connections() >= 1, QUICK);
            h.type("alice", "mute backend 10m");
            chat.awaitPostWithTitle(0, "Muted backend for 10 min", QUICK);
            backendHealth(false);
            awaitTrue("Docker reports backend unhealthy", () -> stack.services().get("backend").health().equals("unhealthy"), QUICK);
            Thread.sleep(4000);
            assertEquals(0, count(0, "Failing: backend"), chat.describe(0));
            int before = chat.size();
            h.type("alice", "alerts");
            Event list = chat.await(before, e -> e.kind().equals("post") && e.message().text().contains("backend is muted until"), QUICK);
            assertTrue(list.message().text().contains("by alice"), list.message().plainText());

            h.type("alice", "mute backend off");
            chat.awaitPostWithTitle(before, "Failing: backend healthcheck", ALERT);
        }
    }

    private void backendHealth(boolean on) {
        List<String> command = on ? List.of("mv", "/www/health.off", "/www/health") : List.of("mv", "/www/health", "/www/health.off");
        StringBuilder out = new StringBuilder();
        int code = docker.exec(stack.project(), "backend", command, out::append, Duration.ofSeconds(10));
        assertEquals(0, code, "switching backend's health endpoint " + (on ? "on" : "off") + ": " + out);
    }

    private AlertRecord alert(String service, String check, AlertHarness h) {
        return h.monitor.openAlerts().stream().filter(a -> a.service().equals(service) && a.check().equals(check)).findFirst()
                .orElseThrow(() -> new AssertionError("no open alert for " + service + " " + check + ": " + h.monitor.openAlerts()));
    }

    private long count(int from, String titlePrefix) {
        return chat.events().stream().skip(from).filter(e -> e.kind().equals("post") && e.message().title().startsWith(titlePrefix)).count();
    }

    private static List<String> labels(Message m) {
        return m.buttons().stream().map(Button::label).toList();
    }

    private static Button button(Message m, String labelStart) {
        return m.buttons().stream().filter(b -> b.label().startsWith(labelStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no button " + labelStart + " on " + m.plainText()));
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
