package dev.opsbot.core.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.HoldingDockerProxy;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: a person edits the stack's files on the host while a deploy runs. The bot's engine calls
 * go through a {@link HoldingDockerProxy}, which holds the run inside a chosen step while the test
 * edits. The next step that would write the files or apply them refuses, names the file, and leaves
 * the person's edit as it is: nothing of it is overwritten or applied unconfirmed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class StackFilesEditedDuringRunTest {
    private static final Duration QUICK = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    DockerEngine docker;
    HoldingDockerProxy proxy;
    DockerEngine proxied;
    DemoStack stack;
    String compose;
    String env;

    @BeforeAll
    void upTheStack() throws Exception {
        docker = DockerSupport.connect();
        proxy = new HoldingDockerProxy();
        proxied = DockerEngine.connect(proxy.endpoint());
        stack = new DemoStack(docker.host(), dir);
        stack.upAndMigrate();
        compose = stack.composeText();
        env = Files.readString(envFile());
    }

    @AfterAll
    void removeIt() throws Exception {
        if (stack != null) stack.close();
        if (proxied != null) proxied.close();
        if (proxy != null) proxy.close();
        if (docker != null) docker.close();
    }

    private Path envFile() {
        return stack.composeFile().resolveSibling(".env");
    }

    @Test
    void aComposeFileEditedBeforeThePinIsNotOverwrittenAndNothingChanges() throws Exception {
        Files.writeString(stack.composeFile(), compose);
        Map<String, String> before = containerIds();
        RecordingChatPort chat = new RecordingChatPort();
        try (TestBot bot = new TestBot(dir.resolve("bot-1"), stack.stack(), proxied.host(), chat)) {
            HoldingDockerProxy.Hold pull = proxy.hold("POST", "/images/create", 1);
            Event live = confirmDeploy(bot, chat);
            pull.awaitHeld(QUICK);

            // Someone pins backend to 0.1.0 by hand on the host, with a note, while the deploy pulls.
            String edited = compose.replace("backend:" + DemoStack.GOOD + "   # pinned by the bot", "backend:" + DemoStack.VERSION
                    + "   # pinned by hand during the incident");
            assertTrue(!edited.equals(compose), "the edit applies to the demo file");
            Files.writeString(stack.composeFile(), edited);
            long editedAt = System.nanoTime();
            pull.release();

            Message failed = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
            long reportedMillis = (System.nanoTime() - editedAt) / 1_000_000;
            assertEquals(Tone.FAILURE, failed.tone(), failed.plainText());
            assertTrue(failed.plainText().contains("Failed at step 2/7 (pin backend, worker to " + DemoStack.NEWER + "): docker-compose.yml"
                    + " was changed on the host since run #1 started, and not by this run: this step did not run, so that change is"
                    + " neither overwritten nor applied unconfirmed."), failed.plainText());
            assertTrue(failed.plainText().contains("Done before: pull"), failed.plainText());
            assertEquals(edited, stack.composeText(), "the person's edit is kept byte for byte");
            assertEquals(before, containerIds(), "no container was replaced");
            assertTrue(bot.bot.lock().isEmpty(), "the stack is not left locked");
            assertTrue(chat.events().stream().noneMatch(e -> e.message() != null && e.message().title().contains("roll back?")),
                    "nothing changed, so no rollback is offered: " + chat.describe(0));
            System.out.println("fault figure: compose file edited during a deploy, refused and reported " + reportedMillis
                    + " ms after the edit (the pull's own time included)");
        }
    }

    @Test
    void anEnvFileEditedDuringTheMigrationIsNotAppliedByUp() throws Exception {
        Files.writeString(stack.composeFile(), compose);
        Files.writeString(envFile(), env);
        Map<String, String> before = containerIds();
        RecordingChatPort chat = new RecordingChatPort();
        try (TestBot bot = new TestBot(dir.resolve("bot-2"), stack.stack(), proxied.host(), chat)) {
            HoldingDockerProxy.Hold migration = proxy.hold("POST", "/containers/create", 1);
            Event live = confirmDeploy(bot, chat);
            migration.awaitHeld(QUICK);
            String edited = env + "FEATURE_FLAGS=new-checkout\n";
            Files.writeString(envFile(), edited);
            migration.release();

            Message failed = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
            assertTrue(failed.plainText().contains("Failed at step 4/7 (up all services (remove orphans)): .env was changed on the host"
                    + " since run #1 started, and not by this run"), failed.plainText());
            assertTrue(failed.plainText().contains("The compose file now pins backend " + DemoStack.NEWER + ", worker " + DemoStack.NEWER),
                    failed.plainText());
            assertEquals(edited, Files.readString(envFile()), "the person's edit is kept");
            assertEquals(before, containerIds(), "up did not run: no container was replaced");
            // What was changed (the pin, the migration) is said, and the way back offered.
            Event offer = chat.awaitPostWithTitle(0, "Run #1 failed: roll back?", QUICK);
            assertTrue(offer.message().buttons().stream().map(Button::label).anyMatch(l -> l.equals("Roll back to " + DemoStack.GOOD)),
                    offer.message().plainText());
        }
    }

    private Event confirmDeploy(TestBot bot, RecordingChatPort chat) throws InterruptedException {
        bot.type("alice", "deploy " + DemoStack.NEWER, chat);
        Event ask = chat.awaitPostWithTitle(0, "Confirm: deploy " + DemoStack.NEWER, QUICK);
        Button confirm = ask.message().buttons().stream().filter(b -> b.label().equals("Confirm")).findFirst().orElseThrow();
        bot.press("alice", confirm.token(), ask.ref(), chat);
        return chat.awaitPostWithTitle(0, "Running: deploy " + DemoStack.NEWER, QUICK);
    }

    private Map<String, String> containerIds() {
        return stack.services().values().stream().collect(Collectors.toMap(ServiceContainer::service, ServiceContainer::id));
    }
}
