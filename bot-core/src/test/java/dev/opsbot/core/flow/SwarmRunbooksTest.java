package dev.opsbot.core.flow;

import static dev.opsbot.core.testing.DemoStack.BROKEN;
import static dev.opsbot.core.testing.DemoStack.GOOD;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.LocalRegistry;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.SwarmNode;
import dev.opsbot.core.testing.SwarmStack;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swarm runbooks (runbooks/swarm) through the bot, on a real single-node swarm: a stack of
 * two backend replicas and a worker made the way {@code docker stack deploy} makes one, its
 * stack file beside it, deployed, broken and rolled back from the channel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class SwarmRunbooksTest {
    private static final Duration RUN = Duration.ofSeconds(150);
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    DockerEngine docker;
    DockerClient client;
    SwarmNode node;
    SwarmStack swarm;
    Database db;
    Bot bot;
    final RecordingChatPort chat = new RecordingChatPort();

    @BeforeAll
    void start() throws Exception {
        docker = DockerSupport.connect();
        client = DockerSupport.client();
        LocalRegistry.require();
        DemoStack.ensureImages(docker.host());
        node = SwarmNode.ensure(client);
        swarm = new SwarmStack(client);
        swarm.backend(2, GOOD, null);
        swarm.worker(1, GOOD);
        swarm.awaitRunning("backend", 2, GOOD, Duration.ofSeconds(60));
        swarm.awaitRunning("worker", 1, GOOD, Duration.ofSeconds(60));
        Path file = dir.resolve("stack.yml");
        Files.writeString(file, """
                # the stack file, as docker stack deploy -c stack.yml reads it
                services:
                  backend:
                    image: %s
                    deploy:
                      replicas: 2
                  worker:
                    image: %s
                """.formatted(SwarmStack.image("backend", GOOD), SwarmStack.image("worker", GOOD)));
        Stack stack = new Stack("shop", file, swarm.name(), Map.of());
        db = Database.open(dir.resolve("db/opsbot"));
        bot = new Bot(new BotSettings(stack, RepoRoot.get().resolve("runbooks/swarm"), dir.resolve("logs"), Duration.ofMinutes(10),
                null, AccessPolicy.openToAll()), docker.host(), docker.swarm(), db, new Redactor(List::of), new MutableClock());
        bot.register(chat);
        bot.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (bot != null) bot.close();
        if (db != null) db.close();
        if (swarm != null) swarm.close();
        if (node != null) node.close();
        if (client != null) client.close();
        if (docker != null) docker.close();
    }

    private Button button(Event e, String label) {
        return chat.message(e.ref()).buttons().stream().filter(b -> b.label().startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no button " + label + " on " + chat.message(e.ref()).plainText()));
    }

    /** Types a command, confirms it, and returns the run's live message once it has finished. */
    private Message runConfirmed(String command) throws InterruptedException {
        int from = chat.size();
        bot.onCommand(TestBot.as("alice", chat), command);
        Event confirmation = chat.awaitPostWithTitle(from, "Confirm: " + command, QUICK);
        from = chat.size();
        bot.onPress(TestBot.as("alice", chat), button(confirmation, "Confirm").token(), confirmation.ref());
        Event live = chat.awaitPostWithTitle(from, "Running: ", QUICK);
        return awaitEnd(live);
    }

    private Message awaitEnd(Event live) throws InterruptedException {
        return chat.awaitState(live.ref(), m -> m.tone() == Tone.SUCCESS || m.tone() == Tone.FAILURE || m.tone() == Tone.WARNING, RUN);
    }

    @Test
    @Order(1)
    void deployMigratesInAJobThenRollsTheReplicasOutAndTheChannelFollowsTheTasks() throws Exception {
        Message done = runConfirmed("deploy " + NEWER);
        String text = done.plainText();
        assertEquals(Tone.SUCCESS, done.tone(), text);
        swarm.awaitRunning("backend", 2, NEWER, Duration.ofSeconds(10));
        swarm.awaitRunning("worker", 1, NEWER, Duration.ofSeconds(10));
        assertTrue(text.contains("backend: converged on") && text.contains("worker: converged on"), text);
        assertTrue(text.matches("(?s).*backend\\.[12] \\w+ " + NEWER + ".*: running.*"), "the live output follows the new tasks\n" + text);
        assertTrue(Files.readString(dir.resolve("stack.yml")).contains("backend:" + NEWER), "the stack file is pinned");
        assertEquals(List.of(swarm.name() + "_backend", swarm.name() + "_worker"), swarm.serviceNames(), "the migration job is gone");
    }

    @Test
    @Order(2)
    void aBrokenTagIsRolledBackByTheUpdatePolicyAndTheChannelSaysSo() throws Exception {
        Message done = runConfirmed("deploy " + BROKEN);
        String text = done.plainText();
        assertEquals(Tone.FAILURE, done.tone(), text);
        assertTrue(text.contains("backend was rolled back by the update policy to"), text);
        assertTrue(text.contains("unhealthy"), "says what failed: " + text);
        assertTrue(text.contains("worker: back to its previous spec as well"), text);
        swarm.awaitRunning("backend", 2, NEWER, Duration.ofSeconds(30));
        swarm.awaitRunning("worker", 1, NEWER, Duration.ofSeconds(30));
        String file = Files.readString(dir.resolve("stack.yml"));
        assertTrue(file.contains("backend:" + NEWER) && file.contains("worker:" + NEWER), "the stack file says what runs\n" + file);
    }

    @Test
    @Order(3)
    void rollbackToAGivenTagPinsTheStackFileAndRollsOut() throws Exception {
        int from = chat.size();
        bot.onCommand(TestBot.as("alice", chat), "rollback " + GOOD);
        Event confirmation = chat.awaitPostWithTitle(from, "Confirm: rollback " + GOOD, QUICK);
        from = chat.size();
        bot.onPress(TestBot.as("alice", chat), button(confirmation, "Confirm").token(), confirmation.ref());
        Event question = chat.awaitPostWithTitle(from, "asks: Downgrade the database", QUICK);
        Event live = chat.await(from, e -> e.kind().equals("post") && e.message().title().startsWith("Running: "), QUICK);
        bot.onPress(TestBot.as("alice", chat), button(question, "Skip").token(), question.ref());
        Message done = awaitEnd(live);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        swarm.awaitRunning("backend", 2, GOOD, Duration.ofSeconds(10));
        swarm.awaitRunning("worker", 1, GOOD, Duration.ofSeconds(10));
        assertTrue(Files.readString(dir.resolve("stack.yml")).contains("backend:" + GOOD));
    }

    @Test
    @Order(4)
    void undoPutsTheServicesBackOnTheirPreviousSpecAndTheStackFileFollows() throws Exception {
        Message done = runConfirmed("undo");
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        swarm.awaitRunning("backend", 2, NEWER, Duration.ofSeconds(10));
        swarm.awaitRunning("worker", 1, NEWER, Duration.ofSeconds(10));
        String file = Files.readString(dir.resolve("stack.yml"));
        assertTrue(file.contains("backend:" + NEWER) && file.contains("worker:" + NEWER), file);
    }
}
