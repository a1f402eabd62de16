package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsbot.app.management.ManagementServer;
import dev.opsbot.app.management.Readiness;
import dev.opsbot.app.telemetry.BuildInfo;
import dev.opsbot.app.telemetry.PrometheusTelemetry;
import dev.opsbot.core.chat.ChatAdapter;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.DockerTcpProxy;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.slack.FakeSlack;
import dev.opsbot.slack.SlackAdapter;
import dev.opsbot.slack.SlackSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} of the management listener with a real runtime: 503 naming the part and why
 * when the engine stops answering or the chat platform goes away, 200 again once they are back.
 */
@Timeout(120)
class ReadinessTest {
    private static final Duration SHORT_CACHE = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A runtime whose one environment reaches its engine through {@code dockerHost}. */
    private static BotRuntime runtime(Path dir, String dockerHost) throws IOException {
        Path stack = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stack.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stack.resolve(".env"));
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", dockerHost);
        env.put("OPSBOT_COMPOSE_FILE", stack.resolve("docker-compose.yml").toString());
        env.put("OPSBOT_PROJECT", "opsbot-readiness-test");
        env.put("OPSBOT_STACK", "demo");
        env.put("OPSBOT_DATA", dir.resolve("data").toString());
        env.put("OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString());
        return new BotRuntime(AppConfig.load(dir, dir.resolve("none.yml"), env), env, dir);
    }

    private ManagementServer listener(BotRuntime rt, List<ChatAdapter> adapters, Readiness readiness) throws IOException {
        ManagementListener.readiness(rt, adapters, readiness);
        return ManagementServer.start(new InetSocketAddress("127.0.0.1", 0), readiness, new PrometheusTelemetry(BuildInfo.read()));
    }

    private HttpResponse<String> get(ManagementServer server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asks /readyz until the answer matches; the last answer. */
    private HttpResponse<String> awaitReadyz(ManagementServer server, Predicate<HttpResponse<String>> until, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> last;
        do {
            last = get(server, "/readyz");
            if (until.test(last)) return last;
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/readyz never answered as expected within " + within + "; last: " + last.statusCode() + " " + last.body());
    }

    private static String part(HttpResponse<String> response, String part) throws IOException {
        JsonNode parts = JSON.readTree(response.body()).path("parts");
        return parts.path(part).asText("(no such part: " + parts + ")");
    }

    @Test
    void anEngineThatStopsAnsweringMakesTheBotNotReadyUntilItIsBack(@TempDir Path dir) throws Exception {
        DockerSupport.connect().close();
        Path socket = Path.of("/var/run/docker.sock");
        DockerTcpProxy engine = new DockerTcpProxy(socket);
        int port = engine.port();
        try (BotRuntime rt = runtime(dir, engine.endpoint());
             Readiness readiness = new Readiness(SHORT_CACHE, Duration.ofSeconds(4));
             ManagementServer server = listener(rt, List.of(), readiness)) {
            HttpResponse<String> ready = awaitReadyz(server, r -> r.statusCode() == 200, Duration.ofSeconds(20));
            assertEquals("ok", part(ready, "database:demo"));
            assertEquals("ok", part(ready, "docker:demo"));

            engine.close();
            HttpResponse<String> down = awaitReadyz(server, r -> r.statusCode() == 503, Duration.ofSeconds(20));
            assertEquals("not ready", JSON.readTree(down.body()).path("status").asText(), down.body());
            assertTrue(part(down, "docker:demo").contains("Docker is not reachable at tcp://127.0.0.1:" + port), down.body());
            assertEquals("ok", part(down, "database:demo"), down.body());
            assertEquals(200, get(server, "/healthz").statusCode(), "alive all the same");

            engine = new DockerTcpProxy(socket, port);
            awaitReadyz(server, r -> r.statusCode() == 200, Duration.ofSeconds(20));
        } finally {
            engine.close();
        }
    }

    @Test
    void aChatPlatformThatGoesAwayMakesTheBotNotReadyUntilItReconnects(@TempDir Path dir) throws Exception {
        try (FakeSlack slack = new FakeSlack();
             SlackAdapter adapter = new SlackAdapter(SlackSettings.fromEnvironment(Map.of(
                     "SLACK_BOT_TOKEN", "xoxb-test", "SLACK_APP_TOKEN", "xapp-test", "SLACK_API_URL", slack.apiUrl())));
             BotRuntime rt = runtime(dir, "unix:///var/run/docker.sock");
             Readiness readiness = new Readiness(SHORT_CACHE, Duration.ofSeconds(4));
             ManagementServer server = listener(rt, List.of(adapter), readiness)) {
            adapter.start(new IgnoringInbox());
            // The engine is whatever this host has: only the chat part is looked at here.
            awaitReadyz(server, r -> hasPart(r, "chat:slack", "ok"), Duration.ofSeconds(20));

            slack.dropSocketMode();
            HttpResponse<String> down = awaitReadyz(server, r -> r.statusCode() == 503 && !hasPart(r, "chat:slack", "ok"), Duration.ofSeconds(20));
            assertTrue(part(down, "chat:slack").contains("Socket Mode is not connected"), down.body());

            slack.restoreSocketMode();
            awaitReadyz(server, r -> hasPart(r, "chat:slack", "ok"), Duration.ofSeconds(60));
        }
    }

    private static boolean hasPart(HttpResponse<String> response, String part, String state) {
        try {
            return state.equals(part(response, part));
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aListenerOnLoopbackAnswersThereAndOnNoOtherAddress(@TempDir Path dir) throws Exception {
        try (Readiness readiness = new Readiness();
             ManagementServer server = ManagementServer.start(new InetSocketAddress("127.0.0.1", 0), readiness,
                     new PrometheusTelemetry(BuildInfo.read()))) {
            assertEquals(200, get(server, "/healthz").statusCode());
            int port = server.address().getPort();
            // 127.0.0.2 is this host too (all of 127/8 is loopback), but not the address the listener took.
            assertThrows(ConnectException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.2", port), 2000);
                }
            });
        }
    }

    /** The adapter's events are not looked at here. */
    static final class IgnoringInbox implements ChatInbox {
        @Override
        public void onCommand(Origin origin, String text) {
        }

        @Override
        public void onPress(Origin origin, String token, MessageRef message) {
        }

        @Override
        public void onModalSubmit(Origin origin, String token, Map<String, String> values) {
        }
    }
}
