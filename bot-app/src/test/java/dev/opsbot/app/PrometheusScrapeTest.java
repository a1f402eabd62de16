package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsbot.app.management.ManagementServer;
import dev.opsbot.app.management.Readiness;
import dev.opsbot.app.telemetry.BuildInfo;
import dev.opsbot.app.telemetry.PrometheusTelemetry;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.MissingRequirement;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.slack.FakeSlack;
import dev.opsbot.slack.SlackAdapter;
import dev.opsbot.slack.SlackSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package) on loopback scrapes the management listener; its own HTTP
 * API says the target is up and holds the bot's metrics, the Slack adapter's calls among them,
 * and that the deploy counter rose after a deploy through the console.
 */
class PrometheusScrapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path prometheus() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "prometheus");
            if (Files.isExecutable(p)) return p;
        }
        String message = "this test needs Prometheus and there is none on the PATH: apt-get install prometheus (or run .ci/run)";
        MissingRequirement.skipOrFail(message);
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private JsonNode api(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private JsonNode await(int port, String path, Predicate<JsonNode> until, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = api(port, path);
                if (until.test(last)) return last;
            } catch (IOException e) {
                // Prometheus is still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus never answered " + path + " as expected within " + within + "; last: " + last);
    }

    private static String query(String promql) {
        return "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    }

    /** A Prometheus on a free loopback port, scraping {@code target} every second; stopped on close. */
    private record Prometheus(Process process, int port) implements AutoCloseable {
        static Prometheus start(Path binary, Path dir, int target) throws IOException {
            int port = freePort();
            Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    scrape_configs:
                      - job_name: opsbot
                        static_configs: [{targets: ["127.0.0.1:%d"]}]
                    """.formatted(target));
            Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            return new Prometheus(process, port);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The value of the one series {@code promql} selects, once Prometheus has it. */
    private String value(int port, String promql) throws Exception {
        JsonNode r = await(port, query(promql), j -> j.path("data").path("result").size() > 0, Duration.ofSeconds(30));
        return r.path("data").path("result").path(0).path("value").path(1).asText();
    }

    /** Waits until the one series {@code promql} selects has {@code expected} as its value. */
    private void awaitValue(int port, String promql, String expected) throws Exception {
        await(port, query(promql), j -> j.path("data").path("result").path(0).path("value").path(1).asText().equals(expected),
                Duration.ofSeconds(30));
    }

    @Test
    @Timeout(120)
    void prometheusScrapesTheBuildInfoAndTheChatCalls(@TempDir Path dir) throws Exception {
        Path binary = prometheus();
        PrometheusTelemetry telemetry = new PrometheusTelemetry(BuildInfo.read());
        try (FakeSlack slack = new FakeSlack();
             SlackAdapter adapter = new SlackAdapter(SlackSettings.fromEnvironment(Map.of(
                     "SLACK_BOT_TOKEN", "xoxb-test", "SLACK_APP_TOKEN", "xapp-test", "SLACK_API_URL", slack.apiUrl())), telemetry);
             Readiness readiness = new Readiness();
             ManagementServer bot = ManagementServer.start(new InetSocketAddress("127.0.0.1", 0), readiness, telemetry)) {
            adapter.start(new ReadinessTest.IgnoringInbox());
            adapter.post(ChannelRef.of("slack", "C0OPS"), Message.of(Tone.INFO, "hello", "from the scrape test"));

            Prometheus running = Prometheus.start(binary, dir, bot.address().getPort());
            Process prometheus = running.process();
            int port = running.port();
            try {
                JsonNode targets = await(port, "/api/v1/targets",
                        t -> t.path("data").path("activeTargets").path(0).path("health").asText().equals("up"), Duration.ofSeconds(60));
                assertEquals("opsbot", targets.path("data").path("activeTargets").path(0).path("labels").path("job").asText(), targets.toString());

                JsonNode build = await(port, query("opsbot_build_info"), r -> r.path("data").path("result").size() > 0, Duration.ofSeconds(30));
                assertEquals(BuildInfo.read().version(), build.path("data").path("result").path(0).path("metric").path("version").asText(), build.toString());

                JsonNode posts = await(port, query("opsbot_chat_api_calls_total{platform=\"slack\",method=\"chat.postMessage\",outcome=\"ok\"}"),
                        r -> r.path("data").path("result").size() > 0, Duration.ofSeconds(30));
                assertEquals("1", posts.path("data").path("result").path(0).path("value").path(1).asText(), posts.toString());

                JsonNode jvm = await(port, query("jvm_memory_used_bytes{area=\"heap\"}"), r -> r.path("data").path("result").size() > 0,
                        Duration.ofSeconds(30));
                assertTrue(jvm.path("data").path("result").path(0).path("value").path(1).asDouble() > 0, "the JVM's own metrics are there too");
            } finally {
                running.close();
            }
            assertTrue(!prometheus.isAlive(), "Prometheus stopped");
        }
    }

    @Test
    @Timeout(240)
    void aDeployThroughTheConsoleRaisesTheDeployCounterPrometheusScrapes(@TempDir Path dir) throws Exception {
        Path binary = prometheus();
        DockerEngine docker = DockerSupport.connect();
        try (DemoStack stack = new DemoStack(docker.host(), dir)) {
            stack.upAndMigrate();
            int management = freePort();
            Map<String, String> env = new HashMap<>(stack.stack().environment());
            env.put("OPSBOT_COMPOSE_FILE", stack.composeFile().toString());
            env.put("OPSBOT_PROJECT", stack.project().name());
            env.put("OPSBOT_DATA", dir.resolve("bot").toString());
            env.put("OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString());
            env.put("OPSBOT_STACK", "demo");
            env.put("OPSBOT_MANAGEMENT_PORT", String.valueOf(management));
            try (RestartMidRunTest.BotProcess bot = new RestartMidRunTest.BotProcess(env);
                 Prometheus prometheus = Prometheus.start(binary, Files.createDirectories(dir.resolve("prometheus")), management)) {
                bot.await("End with Ctrl-D", 60);
                int port = prometheus.port();
                String deploys = "opsbot_runs_total{job=\"opsbot\",runbook=\"deploy\",result=\"succeeded\"}";
                assertEquals("0", value(port, deploys), "scraped before the deploy: no deploy yet");
                assertEquals("0", value(port, "opsbot_deploy_locks_held{environment=\"demo\"}"));

                bot.type("/ops deploy " + DemoStack.NEWER);
                bot.await("[1] Confirm", 60);
                awaitValue(port, "opsbot_pending_buttons{environment=\"demo\",kind=\"confirmation\"}", "1");
                bot.type("1");
                bot.await("Succeeded: deploy " + DemoStack.NEWER, 120);

                awaitValue(port, deploys, "1");
                JsonNode rose = await(port, query("increase(" + deploys + "[5m])"),
                        j -> j.path("data").path("result").path(0).path("value").path(1).asDouble() > 0, Duration.ofSeconds(30));
                assertTrue(rose.path("data").path("result").size() == 1, rose.toString());
                assertEquals("1", value(port, "opsbot_commands_total{verb=\"deploy\",outcome=\"ok\"}"));
                awaitValue(port, "opsbot_pending_buttons{environment=\"demo\",kind=\"confirmation\"}", "0");
                assertEquals("1", value(port, "opsbot_run_duration_seconds_count{runbook=\"deploy\",result=\"succeeded\"}"));
                assertTrue(Double.parseDouble(value(port, "opsbot_step_duration_seconds_count{kind=\"pull\",result=\"succeeded\"}")) >= 1,
                        "the deploy's pull step is timed by its kind");
                bot.stdin.close();
                assertTrue(bot.process.waitFor(60, TimeUnit.SECONDS), bot.text());
            }
        } finally {
            docker.close();
        }
    }
}
