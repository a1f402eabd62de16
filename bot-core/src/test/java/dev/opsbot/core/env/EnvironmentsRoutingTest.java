package dev.opsbot.core.env;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router never holds an adapter's thread, and judges overload per environment: a chat
 * platform that is slow to answer privately stalls neither the adapter nor the other environment.
 */
@Timeout(60)
class EnvironmentsRoutingTest {
    private static final ChannelRef LOBBY = ChannelRef.of(RecordingChatPort.PLATFORM, "lobby");

    @TempDir
    Path dir;
    final CountDownLatch slowPlatform = new CountDownLatch(1);
    final RecordingChatPort chat = new RecordingChatPort();
    final List<AutoCloseable> opened = new ArrayList<>();
    Environments environments;

    @BeforeEach
    void setUp() throws IOException {
        environments = new Environments(List.of(environment("staging"), environment("prod")), null, AccessPolicy.openToAll(), new MutableClock());
        environments.register(new WhispersWaitFor(slowPlatform, chat));
        environments.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        slowPlatform.countDown();
        environments.close();
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
    }

    @Test
    void aMisroutedCommandIsAnsweredWithoutHoldingTheAdaptersThread() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> environments.onCommand(as("alice"), "ps --env qa"),
                "the platform is slow to whisper, and the adapter's thread returns at once");
        slowPlatform.countDown();
        RecordingChatPort.Event answer = chat.awaitWhisper(0, Duration.ofSeconds(10));
        assertTrue(answer.message().plainText().contains("There is no environment 'qa'. Known environments: staging, prod."),
                answer.message().plainText());
    }

    @Test
    void aFloodInOneEnvironmentLeavesTheOtherOneAnswering() throws Exception {
        // Each ps fails (no engine) and is answered privately, which waits for the slow platform:
        // staging's dispatch threads fill up and its queue grows past the busy mark.
        for (int i = 0; i < 110; i++) environments.onCommand(as("user" + i), "ps --env staging");
        assertTrue(environments.overloaded(as("bob"), "ps --env staging"), "staging is busy");
        assertFalse(environments.overloaded(as("bob"), "ps --env prod"), "prod is not");
        slowPlatform.countDown();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (environments.overloaded(as("bob"), "ps --env staging") && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(environments.overloaded(as("bob"), "ps --env staging"), "staging drained once the platform answered");
    }

    private Environment environment(String name) throws IOException {
        Path stackDir = Files.createDirectories(dir.resolve(name));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stackDir.resolve(".env"));
        Stack stack = new Stack(name, stackDir.resolve("docker-compose.yml"), "opsbot-routing-" + name, Map.of());
        DockerEngine unreachable = open(DockerEngine.connect("unix://" + dir.resolve(name + "-no-docker.sock")));
        Database db = open(Database.open(stackDir.resolve("db/opsbot")));
        Bot bot = open(new Bot(new BotSettings(stack, RepoRoot.get().resolve("runbooks"), stackDir.resolve("logs"), Duration.ofMinutes(10),
                null, AccessPolicy.openToAll()), unreachable.host(), db, new Redactor(List::of), new MutableClock()));
        return new Environment(name, bot, "unix://" + name, "compose project " + name, List.of(), () -> "unreachable");
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.add(resource);
        return resource;
    }

    private static Origin as(String user) {
        return new Origin(LOBBY, new UserRef(RecordingChatPort.PLATFORM, user, user, Set.of()));
    }

    /** A platform whose private answers wait until it is let go; everything else goes straight through. */
    private record WhispersWaitFor(CountDownLatch latch, RecordingChatPort chat) implements ChatPort {
        @Override
        public String platform() {
            return chat.platform();
        }

        @Override
        public ChatLimits limits() {
            return chat.limits();
        }

        @Override
        public MessageRef post(ChannelRef channel, Message message) {
            return chat.post(channel, message);
        }

        @Override
        public void update(MessageRef message, Message replacement) {
            chat.update(message, replacement);
        }

        @Override
        public MessageRef reply(MessageRef parent, Message message) {
            return chat.reply(parent, message);
        }

        @Override
        public void whisper(Origin origin, Message message) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            chat.whisper(origin, message);
        }

        @Override
        public void attach(MessageRef parent, String fileName, Path file) {
            chat.attach(parent, fileName, file);
        }
    }
}
