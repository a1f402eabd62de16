package dev.opsbot.core.health;

import static dev.opsbot.core.testing.DemoStack.BROKEN;
import static dev.opsbot.core.testing.DemoStack.GOOD;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.swarm.SwarmListener;
import dev.opsbot.core.swarm.UpdatePolicy;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.LocalRegistry;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.SwarmNode;
import dev.opsbot.core.testing.SwarmStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A swarm environment's alerts: its services' tasks read on every node, one alert per failing service, its recovery. */
class SwarmAlertsTest {
    private static final Duration ALERT = Duration.ofSeconds(60);

    @Test
    @Timeout(180)
    void aServiceWhoseTasksFailIsAlertedOnceAndTheSameMessageShowsItsRecovery(@TempDir Path dir) throws Exception {
        DockerEngine docker = DockerSupport.connect();
        DockerClient client = DockerSupport.client();
        LocalRegistry.require();
        DemoStack.ensureImages(docker.host());
        RecordingChatPort chat = new RecordingChatPort();
        try (SwarmNode node = SwarmNode.ensure(client); SwarmStack swarm = new SwarmStack(client)) {
            swarm.backend(1, GOOD, null);
            swarm.awaitRunning("backend", 1, GOOD, Duration.ofSeconds(60));
            Path file = dir.resolve("stack.yml");
            Files.writeString(file, "services:\n  backend:\n    image: " + SwarmStack.image("backend", GOOD) + "\n");
            Stack stack = new Stack("shop", file, swarm.name(), Map.of());
            SwarmHost swarmHost = docker.swarm();
            MonitorSettings settings = new MonitorSettings(true, List.of(), null, null,
                    Map.of(Severity.CRITICAL, List.of(RecordingChatPort.CHANNEL)), 0, null, null, null, null)
                    .forSwarm(swarm.name(), List.of("backend"));
            try (Database db = Database.open(dir.resolve("db/opsbot"));
                 Bot bot = new Bot(new BotSettings(stack, RepoRoot.get().resolve("runbooks/swarm"), dir.resolve("logs"),
                         Duration.ofMinutes(10), null, AccessPolicy.openToAll()), docker.host(), swarmHost, db, new Redactor(List::of),
                         Clock.systemUTC())) {
                bot.register(chat);
                bot.monitorHealth(new HealthMonitor(stack, settings, docker.host(), docker.watch(), swarmHost, db, new Redactor(List::of),
                        Clock.systemUTC()));
                bot.start();
                Thread.sleep(6000); // a few healthy reads first: nothing is said
                assertTrue(chat.events().isEmpty(), "a healthy swarm is not alerted:\n" + chat.describe(0));

                // A broken build that the update policy leaves in place (pause): its task fails its health check.
                UpdatePolicy pause = new UpdatePolicy(1, Duration.ZERO, UpdatePolicy.FailureAction.PAUSE, Duration.ofSeconds(3));
                swarmHost.deploy(swarm.name(), Map.of("backend", SwarmStack.image("backend", BROKEN)), pause, SwarmListener.NONE,
                        Duration.ofSeconds(60));
                Event alert = chat.awaitPostWithTitle(0, "Failing: backend tasks", ALERT);
                Message shown = chat.message(alert.ref());
                assertTrue(shown.code().contains(BROKEN), "the tasks' states: " + shown.plainText());

                swarmHost.deploy(swarm.name(), Map.of("backend", SwarmStack.image("backend", GOOD)), pause, SwarmListener.NONE,
                        Duration.ofSeconds(60));
                Message resolved = chat.awaitState(alert.ref(), m -> m.title().equals("Resolved: backend tasks"), ALERT);
                assertTrue(resolved.text().startsWith("Resolved after "), resolved.text());
                assertTrue(chat.events().stream().filter(e -> e.kind().equals("post")
                        && e.message().title().equals("Failing: backend tasks")).count() == 1, "one alert:\n" + chat.describe(0));
            }
        } finally {
            client.close();
            docker.close();
        }
    }
}
