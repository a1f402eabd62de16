package dev.opsbot.core.env;

import static dev.opsbot.core.testing.DemoStack.GOOD;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.DockerTcpProxy;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two environments at once against real engines: {@code staging} on the local socket, and
 * {@code prod} on a second endpoint reached over TCP (the test's own loopback port in front of
 * the engine, which it can take away). Each has its own demo stack, database and rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class EnvironmentsTest {
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final ChannelRef STAGING_CHANNEL = ChannelRef.of(RecordingChatPort.PLATFORM, "staging");
    private static final ChannelRef PROD_CHANNEL = ChannelRef.of(RecordingChatPort.PLATFORM, "prod");
    private static final ChannelRef LOBBY = ChannelRef.of(RecordingChatPort.PLATFORM, "lobby");

    @TempDir
    static Path dir;
    DockerJavaHost local;
    DockerJavaHost remote;
    DockerTcpProxy proxy;
    DemoStack stagingStack;
    DemoStack prodStack;
    final List<AutoCloseable> opened = new ArrayList<>();
    final RecordingChatPort chat = new RecordingChatPort();
    Environments environments;

    @BeforeAll
    void start() throws Exception {
        local = DockerSupport.connect();
        Assumptions.assumeTrue(local.endpoint().startsWith("unix://"), "needs the engine on a local socket to put a TCP port in front of it");
        proxy = new DockerTcpProxy(Path.of(local.endpoint().substring("unix://".length())));
        remote = DockerJavaHost.connect(proxy.endpoint(), false, null);
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
        if (environments != null) environments.close();
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
        if (stagingStack != null) stagingStack.close();
        // The prod stack is removed through the engine's own socket: its TCP endpoint is gone by now.
        if (prodStack != null) local.down(prodStack.project(), true, Duration.ofSeconds(30));
        if (proxy != null) proxy.close();
        if (remote != null) remote.close();
        if (local != null) local.close();
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
    void aCommandInABoundChannelMeansThatEnvironmentAndUsesItsRules() throws Exception {
        int from = chat.size();
        environments.onCommand(as("alice", PROD_CHANNEL), "deploy " + NEWER);
        Event ask = chat.awaitPostWithTitle(from, "Approval needed: deploy " + NEWER, QUICK);
        assertEquals(PROD_CHANNEL, ask.ref().channel());
        String text = chat.message(ask.ref()).plainText();
        assertTrue(text.contains("backend: " + GOOD + " -> " + NEWER), text);

        from = chat.size();
        environments.onCommand(as("alice", STAGING_CHANNEL), "deploy " + NEWER);
        Event confirm = chat.awaitPostWithTitle(from, "Confirm: deploy " + NEWER, QUICK);
        assertEquals(STAGING_CHANNEL, confirm.ref().channel(), "staging needs only a confirmation");
        assertEquals(GOOD, tag(stagingStack.services().get("backend")), "nothing ran before the press");
    }

    @Test
    @Order(2)
    void anUnknownOrMissingEnvironmentIsAskedForAndNothingRuns() throws Exception {
        int from = chat.size();
        environments.onCommand(as("alice", LOBBY), "deploy " + NEWER + " --env qa");
        Message unknown = chat.awaitWhisper(from, QUICK).message();
        assertTrue(unknown.plainText().contains("There is no environment 'qa'"), unknown.plainText());
        assertTrue(unknown.plainText().contains("staging, prod"), unknown.plainText());

        from = chat.size();
        environments.onCommand(as("alice", LOBBY), "deploy " + NEWER);
        Message unbound = chat.awaitWhisper(from, QUICK).message();
        assertTrue(unbound.plainText().contains("not bound to an environment"), unbound.plainText());
        assertTrue(unbound.plainText().contains("--env staging or --env prod"), unbound.plainText());
        Thread.sleep(300);
        assertTrue(chat.events().subList(from, chat.size()).stream().noneMatch(e -> e.kind().equals("post")), "nothing was posted");
    }

    @Test
    @Order(3)
    void envFlagChoosesTheEnvironmentAndTheDeployRunsOnItsOwnEngineOverTcp() throws Exception {
        String stagingBackend = stagingStack.services().get("backend").id();
        int from = chat.size();
        environments.onCommand(as("alice", LOBBY), "deploy " + NEWER + " --env prod");
        Event ask = chat.awaitPostWithTitle(from, "Approval needed: deploy " + NEWER, QUICK);
        from = chat.size();
        environments.onPress(as("bob", LOBBY), button(ask, "Approve").token(), ask.ref());
        Event live = chat.awaitPostWithTitle(from, "Running: ", QUICK);
        Message done = chat.awaitState(live.ref(), m -> m.tone() == Tone.SUCCESS || m.tone() == Tone.FAILURE, RUN);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        assertEquals(NEWER, tag(prodStack.services().get("backend")));
        assertEquals(stagingBackend, stagingStack.services().get("backend").id(), "staging was not touched");
        assertEquals(GOOD, tag(stagingStack.services().get("backend")));
    }

    @Test
    @Order(4)
    void aStoppedEngineAffectsOnlyItsEnvironmentAndTheChannelIsToldWhy() throws Exception {
        proxy.close();
        int from = chat.size();
        environments.onCommand(as("alice", PROD_CHANNEL), "ps");
        Message down = chat.await(from, e -> e.message() != null && e.message().tone() == Tone.FAILURE, QUICK).message();
        assertTrue(down.plainText().contains(proxy.endpoint()), "names the endpoint: " + down.plainText());
        assertTrue(down.plainText().matches("(?s).*(connection refused|closed without an answer).*"), "says why: " + down.plainText());

        from = chat.size();
        environments.onCommand(as("alice", LOBBY), "envs");
        Message list = chat.awaitPostWithTitle(from, "Environments", QUICK).message();
        String text = list.plainText();
        assertTrue(text.matches("(?s).*staging.*4/4 services running, all healthy.*"), text);
        assertTrue(text.matches("(?s).*prod.*unreachable: Docker is not reachable at " + proxy.endpoint()
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
