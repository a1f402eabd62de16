package dev.opsbot.core.flow;

import static dev.opsbot.core.testing.DemoStack.BROKEN;
import static dev.opsbot.core.testing.DemoStack.GOOD;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.store.DeployRecord;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.TestBot;
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
 * The seed's deploy and rollback procedures through the bot, against a real Docker engine:
 * one demo stack for the class, driven step by step as an on-call engineer would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class DeployAndRollbackTest {
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    DockerEngine engine;
    DockerHost docker;
    DemoStack stack;
    RecordingChatPort chat;
    TestBot bot;

    @BeforeAll
    void start() throws Exception {
        engine = DockerSupport.connect();
        docker = engine.host();
        stack = new DemoStack(docker, dir);
        stack.upAndMigrate();
        chat = new RecordingChatPort();
        bot = new TestBot(dir, stack.stack(), docker, chat);
    }

    @AfterAll
    void stop() {
        if (bot != null) bot.close();
        if (stack != null) stack.close();
        if (engine != null) engine.close();
    }

    /** Types a command and returns the confirmation message it asks. */
    private Event ask(String user, String command) throws InterruptedException {
        int from = chat.size();
        bot.type(user, command, chat);
        return chat.awaitPostWithTitle(from, "Confirm: " + command, QUICK);
    }

    private Button button(Event e, String label) {
        return chat.message(e.ref()).buttons().stream().filter(b -> b.label().startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no button " + label + " on " + chat.message(e.ref()).plainText()));
    }

    /** Presses a button and returns the run's live message once it has finished. */
    private Message confirmAndFinish(String user, Event confirmation) throws InterruptedException {
        int from = chat.size();
        bot.press(user, button(confirmation, "Confirm").token(), confirmation.ref(), chat);
        Event live = chat.awaitPostWithTitle(from, "Running: ", QUICK);
        return chat.awaitState(live.ref(), m -> m.tone() == Tone.SUCCESS || m.tone() == Tone.FAILURE || m.tone() == Tone.WARNING, RUN);
    }

    private String tag(ServiceContainer c) {
        return c.image().substring(c.image().lastIndexOf(':') + 1);
    }

    @Test
    @Order(1)
    void deployRecreatesExactlyTheChangedServicesWithComposeLabelsAndMigrates() throws Exception {
        Map<String, ServiceContainer> before = stack.services();
        assertEquals(GOOD, tag(before.get("backend")));
        assertEquals("1", stack.revision());

        Event confirmation = ask("alice", "deploy " + NEWER);
        String ask = chat.message(confirmation.ref()).plainText();
        assertTrue(ask.contains("backend: " + GOOD + " -> " + NEWER), ask);
        assertTrue(ask.contains("worker: " + GOOD + " -> " + NEWER), ask);
        assertTrue(ask.contains("alembic upgrade head"), ask);
        assertEquals(GOOD, tag(stack.services().get("backend")), "nothing changes before the press");

        int from = chat.size();
        Message done = confirmAndFinish("alice", confirmation);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        assertTrue(done.text().contains("Health verified"), done.text());

        Map<String, ServiceContainer> after = stack.services();
        assertEquals(NEWER, tag(after.get("backend")));
        assertEquals(NEWER, tag(after.get("worker")));
        assertEquals(before.get("proxy").id(), after.get("proxy").id(), "proxy was not recreated");
        assertEquals(before.get("web").id(), after.get("web").id(), "web was not recreated");
        assertNotEquals(before.get("backend").id(), after.get("backend").id());
        assertTrue(after.values().stream().allMatch(ServiceContainer::running));
        assertTrue(stack.all().stream().noneMatch(ServiceContainer::oneOff), "the migration container is gone");
        assertEquals("2", stack.revision(), "alembic upgrade head ran with the new image");

        Map<String, String> labels;
        try (DockerClient raw = DockerSupport.client()) {
            InspectContainerResponse inspect = raw.inspectContainerCmd(after.get("backend").id()).exec();
            labels = inspect.getConfig().getLabels();
        }
        assertEquals(stack.project().name(), labels.get("com.docker.compose.project"));
        assertEquals("backend", labels.get("com.docker.compose.service"));
        assertEquals("False", labels.get("com.docker.compose.oneoff"));
        assertEquals(64, labels.get("com.docker.compose.config-hash").length());
        assertTrue(stack.composeText().contains("backend:" + NEWER + "   # pinned by the bot"), "the comment stays");

        Event log = chat.await(from, e -> e.kind().equals("attach"), QUICK);
        assertTrue(log.attachment().contains("▶ [3/7] migrate (alembic upgrade head)"), log.attachment());
        assertTrue(log.attachment().contains("Running upgrade 1 -> 2"), log.attachment());

        List<DeployRecord> history = bot.bot.services().deploys().recent("demo", "backend", 5);
        assertEquals(GOOD, history.get(0).tagBefore());
        assertEquals(NEWER, history.get(0).tagAfter());
        assertTrue(history.get(0).healthVerified());

        // "/ops rollback" with no tag proposes the last known-good one from this history.
        int from2 = chat.size();
        bot.type("alice", "rollback", chat);
        Event suggested = chat.awaitPostWithTitle(from2, "Confirm: rollback " + GOOD, QUICK);
        bot.press("alice", button(suggested, "Cancel").token(), suggested.ref(), chat);
        chat.awaitState(suggested.ref(), m -> m.title().startsWith("Cancelled"), QUICK);
    }

    @Test
    @Order(2)
    void composeSeesTheContainersAsItsOwn() throws Exception {
        Path composeCli = Path.of("/usr/bin/docker-compose");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(composeCli), "docker-compose is not installed");
        Process p = new ProcessBuilder(composeCli.toString(), "-p", stack.project().name(), "-f", stack.composeFile().toString(), "ps")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        for (String service : List.of("proxy", "backend", "worker", "web")) {
            assertTrue(out.contains(stack.project().name() + "-" + service + "-1"), out);
        }
    }

    @Test
    @Order(3)
    void aBrokenDeployFailsVerificationAndOffersTheLastKnownGoodTag() throws Exception {
        Event confirmation = ask("alice", "deploy " + BROKEN);
        int from = chat.size();
        Message done = confirmAndFinish("alice", confirmation);
        assertEquals(Tone.FAILURE, done.tone(), done.plainText());
        assertTrue(done.text().contains("not healthy") || done.text().contains("health check failed"), done.text());
        assertTrue(done.text().contains("Running now:"), "the message says what runs now: " + done.text());

        Event offer = chat.awaitPostWithTitle(from, "failed: roll back?", QUICK);
        Button rollback = button(offer, "Roll back to " + NEWER);

        // The offer goes through the same confirmation as a typed rollback.
        int before = chat.size();
        bot.press("bob", rollback.token(), offer.ref(), chat);
        Event rollbackConfirmation = chat.awaitPostWithTitle(before, "Confirm: rollback " + NEWER, QUICK);
        assertTrue(chat.message(rollbackConfirmation.ref()).plainText().contains("Requested by: bob"));

        int runFrom = chat.size();
        bot.press("bob", button(rollbackConfirmation, "Confirm").token(), rollbackConfirmation.ref(), chat);
        Event question = chat.awaitPostWithTitle(runFrom, "asks: Downgrade the database", QUICK);
        bot.press("bob", button(question, "Skip").token(), question.ref(), chat);
        Event live = chat.awaitPostWithTitle(runFrom, "Running: rollback", QUICK);
        Message rolledBack = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, RUN);
        assertEquals(Tone.SUCCESS, rolledBack.tone(), rolledBack.plainText());
        assertEquals(NEWER, tag(stack.services().get("backend")));
        assertEquals("2", stack.revision(), "Skip kept the schema");
    }

    @Test
    @Order(4)
    void rollbackWithDowngradeRestoresTheOldImageAndSchema() throws Exception {
        Event confirmation = ask("alice", "rollback " + GOOD);
        int from = chat.size();
        bot.press("alice", button(confirmation, "Confirm").token(), confirmation.ref(), chat);
        Event question = chat.awaitPostWithTitle(from, "asks: Downgrade the database", QUICK);

        // Only the requester answers the question.
        int whispers = chat.size();
        bot.press("mallory", button(question, "Downgrade").token(), question.ref(), chat);
        assertTrue(chat.awaitWhisper(whispers, QUICK).message().title().contains("Only the person who started"));

        bot.press("alice", button(question, "Downgrade").token(), question.ref(), chat);
        Event live = chat.awaitPostWithTitle(from, "Running: rollback", QUICK);
        Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, RUN);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        assertEquals(GOOD, tag(stack.services().get("backend")));
        assertEquals(GOOD, tag(stack.services().get("worker")));
        assertEquals("1", stack.revision(), "alembic downgrade -1 ran");
        assertTrue(stack.all().stream().noneMatch(ServiceContainer::oneOff));
    }

    @Test
    @Order(5)
    void badInputIsRefusedPrivatelyAndChangesNothing() throws Exception {
        String composeBefore = stack.composeText();
        Map<String, ServiceContainer> before = stack.services();
        List<String[]> cases = List.of(
                new String[] {"deploy sha-ZZZ", "is not an image tag"},
                new String[] {"deploy \"sha-abc1234; rm -rf /\"", "is not an image tag"},
                new String[] {"deploy sha-abc1234 && reboot", "Too many arguments"},
                new String[] {"logs nosuch", "There is no service 'nosuch'"},
                new String[] {"restart databse", "There is no service 'databse'"},
                new String[] {"deplyo sha-abc1234", "Did you mean deploy?"},
                new String[] {"", "Type a command"});
        for (String[] c : cases) {
            int from = chat.size();
            bot.type("alice", c[0], chat);
            Event reply = chat.awaitWhisper(from, QUICK);
            assertTrue(reply.message().title().contains(c[1]), c[0] + " -> " + reply.message().plainText());
            assertTrue(reply.message().context().startsWith("Usage: /ops"), "a usage line: " + reply.message().plainText());
            assertEquals("alice", reply.to().user().id());
            assertTrue(chat.events().subList(from, chat.size()).stream().noneMatch(e -> e.kind().equals("post")),
                    c[0] + " posted something in the channel");
        }
        assertEquals(composeBefore, stack.composeText());
        Map<String, ServiceContainer> after = stack.services();
        for (String s : before.keySet()) assertEquals(before.get(s).id(), after.get(s).id(), s + " was touched");
    }

    @Test
    @Order(6)
    void buttonsArePressedOnlyOnceOnlyByTheRequesterAndNotAfterExpiry() throws Exception {
        String composeBefore = stack.composeText();
        Event confirmation = ask("alice", "deploy " + NEWER);
        Button confirm = button(confirmation, "Confirm");
        Button cancel = button(confirmation, "Cancel");

        int from = chat.size();
        bot.press("bob", confirm.token(), confirmation.ref(), chat);
        assertTrue(chat.awaitWhisper(from, QUICK).message().title().contains("Only alice can confirm"));

        from = chat.size();
        bot.press("alice", "forged-" + confirm.token().substring(7), confirmation.ref(), chat);
        assertTrue(chat.awaitWhisper(from, QUICK).message().title().contains("not valid"));

        from = chat.size();
        bot.press("alice", cancel.token(), confirmation.ref(), chat);
        chat.awaitState(confirmation.ref(), m -> m.title().startsWith("Cancelled"), QUICK);
        assertTrue(chat.message(confirmation.ref()).buttons().isEmpty(), "the buttons go once decided");

        from = chat.size();
        bot.press("alice", confirm.token(), confirmation.ref(), chat);
        assertTrue(chat.awaitWhisper(from, QUICK).message().title().contains("Already decided"));

        Event second = ask("alice", "deploy " + NEWER);
        bot.clock.advance(Duration.ofMinutes(11));
        from = chat.size();
        bot.press("alice", button(second, "Confirm").token(), second.ref(), chat);
        Event expired = chat.awaitWhisper(from, QUICK);
        assertTrue(expired.message().title().contains("expired"), expired.message().plainText());
        chat.awaitState(second.ref(), m -> m.title().startsWith("Expired"), QUICK);

        assertEquals(composeBefore, stack.composeText(), "no press changed the stack");
        assertEquals(GOOD, tag(stack.services().get("backend")));
        assertFalse(bot.bot.services().audit().recent(50).stream().filter(a -> a.action().equals("press"))
                .filter(a -> a.outcome().startsWith("refused")).toList().isEmpty(), "refusals are audited");
    }
}
