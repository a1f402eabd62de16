package dev.opsbot.core.env;

import static dev.opsbot.core.env.StagingAndProd.LOBBY;
import static dev.opsbot.core.env.StagingAndProd.PROD_CHANNEL;
import static dev.opsbot.core.env.StagingAndProd.QUICK;
import static dev.opsbot.core.env.StagingAndProd.STAGING_CHANNEL;
import static dev.opsbot.core.env.StagingAndProd.as;
import static dev.opsbot.core.env.StagingAndProd.tag;
import static dev.opsbot.core.testing.DemoStack.GOOD;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.DockerTcpProxy;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    @TempDir
    static Path dir;
    DockerEngine local;
    DockerEngine remote;
    DockerTcpProxy proxy;
    DemoStack stagingStack;
    DemoStack prodStack;
    StagingAndProd envs;
    RecordingChatPort chat;
    Environments environments;

    @BeforeAll
    void start() throws Exception {
        local = DockerSupport.connect();
        Assumptions.assumeTrue(local.endpoint().startsWith("unix://"), "needs the engine on a local socket to put a TCP port in front of it");
        proxy = new DockerTcpProxy(Path.of(local.endpoint().substring("unix://".length())));
        remote = DockerEngine.connect(proxy.endpoint(), false, null);
        stagingStack = new DemoStack(local.host(), Files.createDirectories(dir.resolve("staging")));
        prodStack = new DemoStack(remote.host(), Files.createDirectories(dir.resolve("prod")));
        stagingStack.upAndMigrate();
        prodStack.upAndMigrate();
        envs = new StagingAndProd(dir, stagingStack, local, prodStack, remote);
        chat = envs.chat;
        environments = envs.environments;
    }

    @AfterAll
    void stop() throws Exception {
        if (envs != null) envs.close();
        if (stagingStack != null) stagingStack.close();
        // The prod stack is removed through the engine's own socket: its TCP endpoint is gone by now.
        if (prodStack != null) local.host().down(prodStack.project(), true, Duration.ofSeconds(30));
        if (proxy != null) proxy.close();
        if (remote != null) remote.close();
        if (local != null) local.close();
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
        Message done = envs.pressAndFinish("bob", LOBBY, ask, "Approve", RUN);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        assertEquals(NEWER, tag(prodStack.services().get("backend")));
        assertEquals(stagingBackend, stagingStack.services().get("backend").id(), "staging was not touched");
        assertEquals(GOOD, tag(stagingStack.services().get("backend")));
    }

    @Test
    @Order(4)
    void aStoppedEngineAffectsOnlyItsEnvironmentAndTheChannelIsToldWhy() throws Exception {
        proxy.close();
        envs.assertProdUnreachableWhileStagingDeploys(proxy.endpoint(), stagingStack, RUN);
    }
}
