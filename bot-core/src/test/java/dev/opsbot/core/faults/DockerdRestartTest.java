package dev.opsbot.core.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.health.HealthMonitor;
import dev.opsbot.core.health.MonitorSettings;
import dev.opsbot.core.health.Severity;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.HoldingDockerProxy;
import dev.opsbot.core.testing.LocalRegistry;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.SecondEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: dockerd restarts in the middle of a deploy. The stack runs on a throw-away second engine
 * ({@link SecondEngine}; run under {@code flock /tmp/opsbot-swarm.lock}, the host's own dockerd is
 * never touched), reached through a {@link HoldingDockerProxy} that holds the deploy's first
 * container creation in {@code up}, after the old containers were removed; the test restarts the
 * engine there. The run fails in words, naming the step and the lost engine, and says which
 * services have no container now; the way back is offered and works on the restarted engine; the
 * health monitor's event stream reconnects (a container killed afterwards is alerted at once).
 */
@Timeout(240)
class DockerdRestartTest {
    private static final Duration RUN = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void aDeployWhoseEngineRestartsFailsInWordsAndTheWayBackWorks() throws Exception {
        // Skipped with a message where there is no engine or no registry.
        DockerSupport.connect().close();
        LocalRegistry.require();
        try (SecondEngine second = SecondEngine.start(); DockerEngine direct = second.connect()) {
            direct.host().pull("127.0.0.1:5000/opsbot-demo/backend:" + DemoStack.NEWER, OutputSink.NONE, Duration.ofSeconds(60));
            DemoStack stack = new DemoStack(direct.host(), dir);
            stack.upAndMigrate();
            URI api = URI.create(second.endpoint());
            RecordingChatPort chat = new RecordingChatPort();
            try (HoldingDockerProxy proxy = new HoldingDockerProxy(new InetSocketAddress(api.getHost(), api.getPort()));
                 DockerEngine proxied = DockerEngine.connect(proxy.endpoint());
                 Database db = Database.open(dir.resolve("bot/db/opsbot"))) {
                Redactor redactor = new Redactor(List::of);
                Bot bot = new Bot(new BotSettings(stack.stack(), runbooks(), dir.resolve("bot/logs"), Duration.ofMinutes(10),
                        null, AccessPolicy.openToAll()), proxied.host(), db, redactor, Clock.systemUTC());
                MonitorSettings alerts = new MonitorSettings(true, List.of(), null, null, Map.of(Severity.CRITICAL, List.of(RecordingChatPort.CHANNEL)),
                        0, null, Duration.ofMinutes(10), Duration.ofMillis(200), null);
                bot.register(chat);
                bot.monitorHealth(new HealthMonitor(stack.stack(), alerts, proxied.host(), proxied.watch(), db, redactor, Clock.systemUTC()));
                bot.start();
                try {
                    HoldingDockerProxy.Hold create = proxy.hold("POST", "/containers/create", 2);
                    bot.onCommand(as("alice"), "deploy " + DemoStack.NEWER);
                    Event ask = chat.awaitPostWithTitle(0, "Confirm: deploy " + DemoStack.NEWER, RUN);
                    bot.onPress(as("alice"), button(ask, "Confirm").token(), ask.ref());
                    Event live = chat.awaitPostWithTitle(0, "Running: deploy " + DemoStack.NEWER, RUN);
                    create.awaitHeld(RUN);

                    long t0 = System.nanoTime();
                    CompletableFuture<Duration> restart = CompletableFuture.supplyAsync(() -> {
                        try {
                            return second.restart();
                        } catch (IOException | InterruptedException e) {
                            throw new IllegalStateException("restarting the second engine", e);
                        }
                    });
                    Message failed = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, RUN);
                    long toldMillis = (System.nanoTime() - t0) / 1_000_000;
                    Duration away = restart.get(RUN.toSeconds(), TimeUnit.SECONDS);
                    create.release();
                    String text = failed.plainText();
                    assertEquals(Tone.FAILURE, failed.tone(), text);
                    assertTrue(text.contains("Failed at step 4/7 (up all services (remove orphans)): Docker is not reachable at " + proxy.endpoint()
                            + " (create backend"), text);
                    // What is half-done is said: the file's new pins at once, the services left without a container once the engine is back.
                    assertTrue(text.contains("The compose file now pins backend " + DemoStack.NEWER + ", worker " + DemoStack.NEWER + "."), text);
                    assertTrue(text.contains("The containers cannot be listed: Docker is not reachable"), text);
                    String left = chat.awaitPostWithTitle(0, "Docker answers again", RUN).message().plainText();
                    long backMillis = (System.nanoTime() - t0) / 1_000_000;
                    assertTrue(left.contains("No container now: backend, worker."), left);
                    assertTrue(left.matches("(?s).*Running now: [^\\n]*proxy " + DemoStack.GOOD + ".*"), "the restarted containers are listed: " + left);

                    // The way back works on the restarted engine.
                    Event offer = chat.awaitPostWithTitle(0, "Run #1 failed: roll back?", RUN);
                    int from = chat.size();
                    bot.onPress(as("alice"), button(offer, "Roll back to " + DemoStack.GOOD).token(), offer.ref());
                    Event confirmRollback = chat.awaitPostWithTitle(from, "Confirm: rollback " + DemoStack.GOOD, RUN);
                    bot.onPress(as("alice"), button(confirmRollback, "Confirm").token(), confirmRollback.ref());
                    Event rollback = chat.awaitPostWithTitle(from, "Running: rollback " + DemoStack.GOOD, RUN);
                    // The migration of the failed deploy ran: it is undone too.
                    Event question = chat.awaitPostWithTitle(from, "asks: Downgrade the database", RUN);
                    bot.onPress(as("alice"), button(question, "Downgrade").token(), question.ref());
                    Message back = chat.awaitState(rollback.ref(), m -> m.tone() != Tone.PROGRESS, RUN);
                    assertEquals(Tone.SUCCESS, back.tone(), back.plainText());
                    assertEquals(Set.of("proxy", "backend", "worker", "web"), stack.services().keySet());
                    assertEquals("1", stack.revision(), "the schema is back where " + DemoStack.GOOD + " expects it");

                    // The event stream is back: a container stopped now is alerted at once (the periodic re-read is 10 minutes away).
                    from = chat.size();
                    long stopped = System.nanoTime();
                    try (DockerClient raw = second.client()) {
                        raw.stopContainerCmd(stack.services().get("web").id()).withTimeout(1).exec();
                    }
                    chat.await(from, e -> e.kind().equals("post") && e.message().title().startsWith("Failing: web"), Duration.ofSeconds(20));
                    long alertMillis = (System.nanoTime() - stopped) / 1_000_000;
                    System.out.println("fault figure: dockerd restarted during up (away " + away.toMillis() + " ms), the user told "
                            + toldMillis + " ms after the restart began, what runs " + backMillis + " ms after; rollback " + DemoStack.GOOD + " succeeded; a container stopped"
                            + " afterwards alerted in " + alertMillis + " ms");
                } finally {
                    bot.close();
                }
            } finally {
                stack.close();
            }
        }
    }

    /**
     * The repository's runbooks, the rollback without its check through the proxy from this host:
     * behind the test's proxy the engine's published ports are in its own network namespace, not
     * on the loopback address the bot takes from the proxy's endpoint. Its wait-healthy stays.
     */
    private Path runbooks() throws IOException {
        Path copy = Files.createDirectories(dir.resolve("runbooks"));
        try (Stream<Path> files = Files.list(RepoRoot.get().resolve("runbooks"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yml")).toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        Path rollback = copy.resolve("rollback.yml");
        String text = Files.readString(rollback);
        String withoutCheck = text.replaceAll("(?m)^  - http-check:.*\\n    title: verify .*\\n", "");
        assertTrue(!withoutCheck.equals(text), "rollback.yml has its http-check");
        Files.writeString(rollback, withoutCheck);
        return copy;
    }

    private static Origin as(String user) {
        return new Origin(RecordingChatPort.CHANNEL, new UserRef(RecordingChatPort.PLATFORM, user, user, Set.of()));
    }

    private static Button button(Event e, String label) {
        return e.message().buttons().stream().filter(b -> b.label().startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " button: " + e.message().plainText()));
    }
}
