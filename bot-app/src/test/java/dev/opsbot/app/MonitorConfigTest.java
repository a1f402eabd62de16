package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.health.MonitorSettings;
import dev.opsbot.core.health.ProbeSpec;
import dev.opsbot.core.health.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor section of opsbot.yml, as docs/configuration.md shows it. */
class MonitorConfigTest {
    private static final String EXAMPLE = """
            stack:
              compose-file: docker-compose.yml
            monitor:
              renotify: 15m
              thresholds: {fail-after: 3, recover-after: 2}
              flapping: {count: 3, window: 10m}
              channels:
                critical: ["slack:C0123ALERTS", "discord:987654321"]
                warning: ["slack:C0456"]
              probes:
                - name: api-health
                  http: {service: proxy, port: 80, path: /api/v1/health}
                  expect-status: 200
                  expect-body: ok
                  timeout: 2s
                  interval: 10s
                - name: web
                  http: {url: "http://127.0.0.1:8081/"}
                  severity: warning
                - name: backend-health
                  exec: {service: backend, command: [wget, -qO-, "http://localhost:8000/health"]}
                  interval: 15s
                  thresholds: {fail-after: 2, recover-after: 1}
            """;

    @TempDir
    Path dir;

    private AppConfig load(String yaml) throws Exception {
        return OpsbotYml.load(dir, yaml, Map.of());
    }

    @Test
    void theWaitAfterAFailedRunIsTwoMinutesUnlessSet() throws Exception {
        assertEquals(Duration.ofMinutes(2), load(EXAMPLE).monitor().afterFailedRun());
        String set = EXAMPLE.replace("  renotify: 15m\n", "  renotify: 15m\n  after-failed-run: 30s\n");
        assertEquals(Duration.ofSeconds(30), load(set).monitor().afterFailedRun());
    }

    @Test
    void theDocumentedExampleReadsAsWritten() throws Exception {
        MonitorSettings m = load(EXAMPLE).monitor();
        assertTrue(m.dockerHealth());
        assertEquals(Duration.ofMinutes(15), m.renotify());
        assertEquals(List.of(ChannelRef.of("slack", "C0123ALERTS"), ChannelRef.of("discord", "987654321")), m.channelsFor(Severity.CRITICAL));
        assertEquals(List.of(ChannelRef.of("slack", "C0456")), m.channelsFor(Severity.WARNING));
        assertEquals(3, m.probes().size());
        ProbeSpec.Http api = (ProbeSpec.Http) m.probes().get(0);
        assertEquals("proxy", api.service());
        assertEquals("/api/v1/health", api.path());
        assertEquals("ok", api.expectBody());
        assertEquals(Severity.WARNING, m.probes().get(1).severity());
        ProbeSpec.Exec exec = (ProbeSpec.Exec) m.probes().get(2);
        assertEquals(List.of("wget", "-qO-", "http://localhost:8000/health"), exec.command());
        assertEquals(2, exec.thresholds().failAfter());
    }

    @Test
    void withoutAMonitorSectionOnlyTheDemoIsWatchedAndItsAlertsGoToTheConsole() throws Exception {
        assertNull(load("stack:\n  compose-file: docker-compose.yml\n").monitor());
        MonitorSettings demo = AppConfig.load(dir, null, Map.of()).monitor();
        assertEquals(List.of(ConsoleAdapter.CHANNEL), demo.channelsFor(Severity.CRITICAL));
        assertTrue(demo.probes().isEmpty());
    }

    @Test
    void mistakesNameTheSetting() {
        record Case(String monitor, String message) { }
        for (Case c : List.of(
                new Case("monitor: {channels: {critical: [C0123]}}", "platform:id"),
                new Case("monitor: {channels: {loud: [\"slack:C1\"]}}", "critical or warning"),
                new Case("monitor: {channels: {critical: [\"slack:C1\"]}, renotiffy: 5m}", "unknown setting 'renotiffy'"),
                new Case("monitor: {probes: [{name: x, http: {url: \"http://h/\"}}]}", "monitor.channels"),
                new Case("monitor: {channels: {critical: [\"slack:C1\"]}, probes: [{name: x}]}", "exactly one of http or exec"),
                new Case("monitor: {channels: {critical: [\"slack:C1\"]}, probes: [{name: x, http: {service: proxy}}]}", "url, or a port and a path"))) {
            AppConfig.ConfigException e = assertThrows(AppConfig.ConfigException.class, () -> load(c.monitor()), c.monitor());
            assertTrue(e.getMessage().contains(c.message()), c.monitor() + " -> " + e.getMessage());
        }
    }
}
