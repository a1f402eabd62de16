package dev.opsbot.core.env;

import static dev.opsbot.core.testing.DemoStack.GOOD;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.docker.DockerJavaHost;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.runbook.Approval;
import dev.opsbot.core.secrets.EnvSecrets;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.LocalRegistry;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.SecondEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * Two environments on two real engines: {@code staging} on the local engine, {@code prod} on a
 * second dockerd of its own ({@link SecondEngine}) reached over TCP, which pulls the demo images
 * from the local registry itself. A prod deploy runs on the second engine only; when that engine
 * stops, prod says it is unreachable and why, and staging goes on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class TwoEnginesTest {
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final ChannelRef STAGING_CHANNEL = ChannelRef.of(RecordingChatPort.PLATFORM, "staging");
    private static final ChannelRef PROD_CHANNEL = ChannelRef.of(RecordingChatPort.PLATFORM, "prod");
    private static final ChannelRef LOBBY = ChannelRef.of(RecordingChatPort.PLATFORM, "lobby");

    @TempDir
    static Path dir;
    DockerJavaHost local;
    SecondEngine second;
    DockerJavaHost remote;
    DemoStack stagingStack;
    DemoStack prodStack;
    final List<AutoCloseable> opened = new ArrayList<>();
    final RecordingChatPort chat = new RecordingChatPort();
    Environments environments;

    @BeforeAll
    void start() throws Exception {
        local = DockerSupport.connect();
        LocalRegistry.require();
        second = SecondEngine.start();
        System.out.println("second engine at " + second.endpoint() + " answered after " + second.startup().toMillis() + " ms");
        remote = second.connect();
        // A fresh engine has no images: it pulls them from the registry (DemoStack would otherwise build them).
        remote.pull("127.0.0.1:5000/opsbot-demo/backend:" + NEWER, OutputSink.NONE, Duration.ofSeconds(60));
        stagingStack = new DemoStack(local, Files.createDirectories(dir.resolve("staging")));
        prodStack = new DemoStack(remote, Files.createDirectories(dir.resolve("prod")));
        stagingStack.upAndMigrate();
        prodStack.upAndMigrate();
        Environment staging = environment("staging", stagingStack, local, new EnvironmentRules(true, null), STAGING_CHANNEL);
        Environment prod = environment("prod", prodStack, remote,
                new EnvironmentRules(false, new Approval(1, AccessPolicy.APPROVER, false, null)), PROD_CHANNEL);
        environments = new Environments(List.of(staging, prod), null, AccessPolicy.openToAll(), new MutableClock());
        environments.register(chat);
        environments.start();
    }

    private Environment environment(String name, DemoStack stack, DockerJavaHost docker, EnvironmentRules rules, ChannelRef channel) {
        Path home = dir.resolve(name);
        Database db = Database.open(home.resolve("db/opsbot"));
        Redactor redactor = new Redactor(new EnvSecrets(List.of(stack.composeFile().getParent().resolve(".env"))));
        Bot bot = new Bot(new BotSettings(stack.stack(), RepoRoot.get().resolve("runbooks"), home.resolve("logs"), Duration.ofMinutes(10),
                null, AccessPolicy.openToAll(), null, null, rules), docker, db, redactor, new MutableClock());
        opened.add(db);
        opened.add(bot);
        return new Environment(name, bot, docker.endpoint(), "compose project " + stack.stack().project(),
                List.of(channel.toString()), new ComposeGlance(docker, stack.stack()));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (environments != null) environments.close();
            for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
            if (stagingStack != null) stagingStack.close();
            // The prod stack goes with the second engine: close() removes its containers, volumes and data.
            if (remote != null) remote.close();
        } finally {
            try {
                if (second != null) second.close();
            } finally {
                if (local != null) local.close();
            }
        }
    }

    private Origin as(String user, ChannelRef channel) {
        return new Origin(channel, new UserRef(RecordingChatPort.PLATFORM, user, user, Set.of()));
    }

    private Button button(Event e, String label) {
        return chat.message(e.ref()).buttons().stream().filter(b -> b.label().startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no button " + label + " on " + chat.message(e.ref()).plainText()));
    }

    private static String tag(ServiceContainer c) {
        return c.image().substring(c.image().lastIndexOf(':') + 1);
    }

    @Test
    @Order(1)
    void eachStackRunsOnItsOwnEngine() {
        assertEquals(Set.of("proxy", "backend", "worker", "web"), prodStack.services().keySet());
        assertTrue(local.ps(prodStack.project()).isEmpty(), "no prod container on the first engine");
        assertTrue(remote.ps(stagingStack.project()).isEmpty(), "no staging container on the second engine");
        assertFalse(local.ps(stagingStack.project()).isEmpty());
    }

    @Test
    @Order(2)
    void envFlagDeploysOnTheSecondEngineOnly() throws Exception {
        String stagingBackend = stagingStack.services().get("backend").id();
        int from = chat.size();
        environments.onCommand(as("alice", LOBBY), "deploy " + NEWER + " --env prod");
        Event ask = chat.awaitPostWithTitle(from, "Approval needed: deploy " + NEWER, QUICK);
        assertTrue(chat.message(ask.ref()).plainText().contains("backend: " + GOOD + " -> " + NEWER), chat.message(ask.ref()).plainText());
        from = chat.size();
        environments.onPress(as("bob", LOBBY), button(ask, "Approve").token(), ask.ref());
        Event live = chat.awaitPostWithTitle(from, "Running: ", QUICK);
        Message done = chat.awaitState(live.ref(), m -> m.tone() == Tone.SUCCESS || m.tone() == Tone.FAILURE, RUN);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());

        ServiceContainer backend = prodStack.services().get("backend");
        assertEquals(NEWER, tag(backend));
        assertTrue(remote.ps(prodStack.project()).stream().anyMatch(c -> c.id().equals(backend.id())), "the new container is on the second engine");
        assertTrue(local.ps(prodStack.project()).isEmpty(), "and nothing of prod on the first");
        assertEquals(stagingBackend, stagingStack.services().get("backend").id(), "staging was not touched");
        assertEquals(GOOD, tag(stagingStack.services().get("backend")));
    }

    @Test
    @Order(3)
    void aStoppedSecondEngineIsReportedUnreachableAndStagingStillDeploys() throws Exception {
        second.stop();
        String endpoint = second.endpoint();
        int from = chat.size();
        environments.onCommand(as("alice", PROD_CHANNEL), "ps");
        Message down = chat.await(from, e -> e.message() != null && e.message().tone() == Tone.FAILURE, QUICK).message();
        assertTrue(down.plainText().contains(endpoint), "names the endpoint: " + down.plainText());
        assertTrue(down.plainText().matches("(?s).*(connection refused|closed without an answer).*"), "says why: " + down.plainText());

        from = chat.size();
        environments.onCommand(as("alice", LOBBY), "envs");
        String text = chat.awaitPostWithTitle(from, "Environments", QUICK).message().plainText();
        assertTrue(text.matches("(?s).*staging.*4/4 services running, all healthy.*"), text);
        assertTrue(text.matches("(?s).*prod.*unreachable: Docker is not reachable at " + endpoint
                + ".*(connection refused|closed without an answer).*"), text);

        from = chat.size();
        environments.onCommand(as("alice", STAGING_CHANNEL), "deploy " + NEWER);
        Event confirm = chat.awaitPostWithTitle(from, "Confirm: deploy " + NEWER, QUICK);
        from = chat.size();
        environments.onPress(as("alice", STAGING_CHANNEL), button(confirm, "Confirm").token(), confirm.ref());
        Event live = chat.awaitPostWithTitle(from, "Running: ", QUICK);
        Message done = chat.awaitState(live.ref(), m -> m.tone() == Tone.SUCCESS || m.tone() == Tone.FAILURE, RUN);
        assertEquals(Tone.SUCCESS, done.tone(), "staging still deploys: " + done.plainText());
        assertEquals(NEWER, tag(stagingStack.services().get("backend")));
    }
}
