package dev.opsbot.core.env;

import static dev.opsbot.core.env.StagingAndProd.LOBBY;
import static dev.opsbot.core.env.StagingAndProd.QUICK;
import static dev.opsbot.core.env.StagingAndProd.as;
import static dev.opsbot.core.env.StagingAndProd.tag;
import static dev.opsbot.core.testing.DemoStack.GOOD;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.runbook.Approval;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.LocalRegistry;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.SecondEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    @TempDir
    static Path dir;
    DockerEngine local;
    SecondEngine second;
    DockerEngine remote;
    DemoStack stagingStack;
    DemoStack prodStack;
    StagingAndProd envs;
    RecordingChatPort chat;
    Environments environments;

    @BeforeAll
    void start() throws Exception {
        local = DockerSupport.connect();
        LocalRegistry.require();
        second = SecondEngine.start();
        System.out.println("second engine at " + second.endpoint() + " answered after " + second.startup().toMillis() + " ms");
        remote = second.connect();
        // A fresh engine has no images: it pulls them from the registry (DemoStack would otherwise build them).
        remote.host().pull("127.0.0.1:5000/opsbot-demo/backend:" + NEWER, OutputSink.NONE, Duration.ofSeconds(60));
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
        try {
            if (envs != null) envs.close();
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

    @Test
    @Order(1)
    void eachStackRunsOnItsOwnEngine() {
        assertEquals(Set.of("proxy", "backend", "worker", "web"), prodStack.services().keySet());
        assertTrue(local.host().ps(prodStack.project()).isEmpty(), "no prod container on the first engine");
        assertTrue(remote.host().ps(stagingStack.project()).isEmpty(), "no staging container on the second engine");
        assertFalse(local.host().ps(stagingStack.project()).isEmpty());
    }

    @Test
    @Order(2)
    void envFlagDeploysOnTheSecondEngineOnly() throws Exception {
        String stagingBackend = stagingStack.services().get("backend").id();
        int from = chat.size();
        environments.onCommand(as("alice", LOBBY), "deploy " + NEWER + " --env prod");
        Event ask = chat.awaitPostWithTitle(from, "Approval needed: deploy " + NEWER, QUICK);
        assertTrue(chat.message(ask.ref()).plainText().contains("backend: " + GOOD + " -> " + NEWER), chat.message(ask.ref()).plainText());
        Message done = envs.pressAndFinish("bob", LOBBY, ask, "Approve", RUN);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());

        ServiceContainer backend = prodStack.services().get("backend");
        assertEquals(NEWER, tag(backend));
        assertTrue(remote.host().ps(prodStack.project()).stream().anyMatch(c -> c.id().equals(backend.id())), "the new container is on the second engine");
        assertTrue(local.host().ps(prodStack.project()).isEmpty(), "and nothing of prod on the first");
        assertEquals(stagingBackend, stagingStack.services().get("backend").id(), "staging was not touched");
        assertEquals(GOOD, tag(stagingStack.services().get("backend")));
    }

    @Test
    @Order(3)
    void aStoppedSecondEngineIsReportedUnreachableAndStagingStillDeploys() throws Exception {
        second.stop();
        envs.assertProdUnreachableWhileStagingDeploys(second.endpoint(), stagingStack, RUN);
    }
}
