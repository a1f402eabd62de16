package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsbot.app.management.ManagementServer;
import dev.opsbot.app.management.Readiness;
import dev.opsbot.app.telemetry.BuildInfo;
import dev.opsbot.app.telemetry.PrometheusTelemetry;
import dev.opsbot.core.store.DatabaseServer;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.RepoRoot;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runtimes configured alike but for their replica id, on one PostgreSQL database: both ready,
 * one leading, as {@code /readyz} and {@code /metrics} say; when the leader stops, the other leads.
 */
@Timeout(90)
class ReplicasRuntimeTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One bot process: its runtime and its management listener. */
    private record Process(BotRuntime runtime, Readiness readiness, ManagementServer management) implements AutoCloseable {
        @Override
        public void close() {
            management.close();
            readiness.close();
            runtime.close();
        }
    }

    private Process start(Path dir, String replica) throws Exception {
        DatabaseServer server = POSTGRES.server();
        Path stack = dir.resolve("stack");
        if (!Files.exists(stack)) {
            Files.createDirectories(stack);
            Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stack.resolve("docker-compose.yml"));
        }
        Map<String, String> env = new HashMap<>(Map.of(
                "DOCKER_HOST", "unix:///var/run/docker.sock",
                "OPSBOT_COMPOSE_FILE", stack.resolve("docker-compose.yml").toString(),
                "OPSBOT_PROJECT", "opsbot-replicas-test",
                "OPSBOT_STACK", "demo",
                "OPSBOT_DATA", dir.resolve("data-" + replica).toString(),
                "OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString(),
                "OPSBOT_DATABASE_URL", server.url(),
                "OPSBOT_DATABASE_USER", server.user(),
                "OPSBOT_DATABASE_PASSWORD", server.password()));
        env.put("OPSBOT_REPLICA_ID", replica);
        env.put("OPSBOT_LEASE_TTL", "3s");
        PrometheusTelemetry telemetry = new PrometheusTelemetry(BuildInfo.read());
        BotRuntime rt = new BotRuntime(AppConfig.load(dir, dir.resolve("none.yml"), env), env, dir, telemetry);
        rt.environments.start();
        Readiness readiness = ManagementListener.readiness(rt, List.of(), new Readiness(Duration.ofMillis(100), Duration.ofSeconds(4)));
        return new Process(rt, readiness, ManagementServer.start(new InetSocketAddress("127.0.0.1", 0), readiness, telemetry));
    }

    private String get(Process p, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + p.management().address().getPort() + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private JsonNode readyz(Process p) throws Exception {
        return JSON.readTree(get(p, "/readyz"));
    }

    private static String metric(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + "{environment=\"demo\"}")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("absent");
    }

    @Test
    void bothReplicasAreReadyOneLeadsAndWhenItStopsTheOtherDoes(@TempDir Path dir) throws Exception {
        try (Process a = start(dir, "a"); Process b = start(dir, "b")) {
            JsonNode first = readyz(a);
            assertEquals("ready", first.path("status").asText(), first.toString());
            assertEquals("a", first.path("replica").asText());
            assertTrue(first.path("leadership").path("demo").path("leading").asBoolean(), first.toString());
            Instant since = Instant.parse(first.path("leadership").path("demo").path("since").asText());
            assertTrue(Duration.between(since, Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0, "since when: " + since);

            JsonNode second = readyz(b);
            assertEquals("ready", second.path("status").asText(), "a follower is ready: " + second);
            assertFalse(second.path("leadership").path("demo").path("leading").asBoolean(), second.toString());
            assertEquals("a", second.path("leadership").path("demo").path("leader").asText(), second.toString());

            String scrapeA = get(a, "/metrics");
            assertEquals("1.0", metric(scrapeA, "opsbot_leader"), scrapeA);
            assertEquals(since.toEpochMilli() / 1000.0, Double.parseDouble(metric(scrapeA, "opsbot_leader_since_seconds")), 0.001);
            String scrapeB = get(b, "/metrics");
            assertEquals("0.0", metric(scrapeB, "opsbot_leader"));
            assertEquals("absent", metric(scrapeB, "opsbot_leader_since_seconds"));

            a.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!readyz(b).path("leadership").path("demo").path("leading").asBoolean()) {
                assertTrue(System.nanoTime() < deadline, "b leads within a try of a stopping: " + readyz(b));
                Thread.sleep(100);
            }
            assertEquals("1.0", metric(get(b, "/metrics"), "opsbot_leader"));
        }
    }
}
