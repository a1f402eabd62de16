package dev.opsbot.core.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.compose.EnvFile;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.ModalChatPort;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
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
 * "How to rotate secrets" and "If a secret is blocked or flagged" through the bot, on a real
 * engine with a real .env: the demo stack plus a careless service that prints its secret to its
 * log every second. Whatever happens, no value reaches a chat message or an attached log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class SecretRotationTest {
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    DockerEngine engine;
    DockerHost docker;
    DemoStack stack;
    ModalChatPort platform;
    RecordingChatPort chat;
    TestBot bot;
    /** Every value SECRET_KEY and OPENAI_API_KEY have had in this test. */
    final java.util.Set<String> values = new java.util.LinkedHashSet<>();

    @BeforeAll
    void start() throws Exception {
        engine = DockerSupport.connect();
        docker = engine.host();
        stack = new DemoStack(docker, dir);
        String compose = stack.composeText();
        Files.writeString(stack.composeFile(), compose.replace("\nvolumes:", "\n"
                + "  # Prints its secret to its log, as a careless application would.\n"
                + "  leaky:\n"
                + "    image: 127.0.0.1:5000/opsbot-demo/backend:" + DemoStack.GOOD + "\n"
                + "    init: true\n"
                + "    env_file: .env\n"
                + "    command: [\"sh\", \"-c\", \"while true; do echo \\\"SECRET_KEY is $$SECRET_KEY\\\"; sleep 1; done\"]\n"
                + "\nvolumes:"));
        stack.upAndMigrate();
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        try (var files = Files.list(RepoRoot.get().resolve("runbooks"))) {
            for (Path f : files.toList()) Files.copy(f, runbooks.resolve(f.getFileName()));
        }
        Files.writeString(runbooks.resolve("leak-check.yml"), "name: leak-check\nsteps:\n"
                + "  - logs: {services: [leaky], tail: 5}\n"
                + "  - exec: {service: backend, command: [env]}\n");
        platform = new ModalChatPort();
        chat = platform.chat;
        bot = new TestBot(dir, stack.stack(), docker, platform, runbooks, AccessPolicy.openToAll());
        values.addAll(env().values());
    }

    @AfterAll
    void stop() {
        if (bot != null) bot.close();
        if (stack != null) stack.close();
        if (engine != null) engine.close();
    }

    private Path envFile() {
        return stack.composeFile().getParent().resolve(".env");
    }

    private Map<String, String> env() {
        return EnvFile.read(envFile());
    }

    private List<String> containerEnv(String service) throws IOException {
        try (DockerClient raw = DockerSupport.client()) {
            return Arrays.asList(raw.inspectContainerCmd(stack.services().get(service).id()).exec().getConfig().getEnv());
        }
    }

    /** Nothing any value of the secrets ever was appears in any message or attachment. */
    private void assertNoValueInChat() {
        for (Event e : chat.events()) {
            String shown = e.message() != null ? e.message().plainText() : e.attachment();
            for (String v : values) {
                if (v.length() >= 6) assertFalse(shown.contains(v), "a secret value reached the chat (" + e.kind() + "):\n" + shown);
            }
        }
    }

    private Event confirm(String user, String command) throws InterruptedException {
        int from = chat.size();
        bot.type(user, command, platform);
        Event ask = chat.awaitPostWithTitle(from, "Confirm: " + command, QUICK);
        bot.press(user, chat.message(ask.ref()).buttons().get(0).token(), ask.ref(), platform);
        return chat.awaitPostWithTitle(from, "Running: " + command, QUICK);
    }

    private Message finished(Event live) throws InterruptedException {
        return chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, RUN);
    }

    @Test
    @Order(1)
    void aSecretAContainerPrintsToItsLogNeverReachesAMessageOrAnAttachment() throws Exception {
        Thread.sleep(2500);
        int from = chat.size();
        bot.type("alice", "logs leaky --tail 5", platform);
        Event logs = chat.await(from, e -> e.message() != null && e.message().title().contains("lines of leaky"), QUICK);
        assertTrue(logs.message().code().contains("SECRET_KEY is [redacted]"), logs.message().code());

        from = chat.size();
        bot.type("alice", "leak-check", platform);
        Event run = chat.awaitPostWithTitle(from, "Running: leak-check", QUICK);
        Message done = finished(run);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        Event attached = chat.await(from, e -> e.kind().equals("attach"), QUICK);
        assertTrue(attached.attachment().contains("SECRET_KEY is [redacted]"), attached.attachment());
        assertTrue(attached.attachment().contains("SECRET_KEY=[redacted]"), "env inside the container: " + attached.attachment());
        assertNoValueInChat();
    }

    @Test
    @Order(2)
    void rotationWritesAnOwnerOnlyEnvRecreatesTheServicesThatReadItAndPostsOnlyTheFingerprint() throws Exception {
        String old = env().get("SECRET_KEY");
        Map<String, ServiceContainer> before = stack.services();
        Message done = finished(confirm("alice", "rotate-secret SECRET_KEY"));
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());

        String now = env().get("SECRET_KEY");
        values.add(now);
        assertNotEquals(old, now);
        assertEquals(48, now.length());
        assertEquals(old, EnvFile.read(envFile().resolveSibling(".env.previous")).get("SECRET_KEY"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile().resolveSibling(".env.previous"))));
        for (String service : List.of("backend", "worker", "leaky")) {
            assertTrue(containerEnv(service).contains("SECRET_KEY=" + now), service + " has the new value");
        }
        Map<String, ServiceContainer> after = stack.services();
        assertEquals(before.get("web").id(), after.get("web").id(), "web does not read SECRET_KEY and was left alone");

        Event checklist = chat.awaitPostWithTitle(0, "SECRET_KEY rotated: fingerprint " + SecretGenerator.fingerprint(now), QUICK);
        String text = checklist.message().plainText();
        assertTrue(text.contains("Read by backend, worker, leaky") && text.contains("Invalidate the old value")
                && text.contains("Update CI secrets"), text);
        Thread.sleep(2000);
        int from = chat.size();
        bot.type("alice", "logs leaky --tail 3", platform);
        Event logs = chat.await(from, e -> e.message() != null && e.message().title().contains("lines of leaky"), QUICK);
        assertTrue(logs.message().code().contains("SECRET_KEY is [redacted]"), logs.message().code());
        assertNoValueInChat();
    }

    @Test
    @Order(3)
    void anExternalKeyIsEnteredInAPrivateFormByTheRequesterOnly() throws Exception {
        String fresh = "sk-proj-new-key-for-this-test-0123456789";
        values.add(fresh);
        int from = chat.size();
        Event live = confirm("alice", "rotate-secret OPENAI_API_KEY");
        Event ask = chat.awaitPostWithTitle(from, "needs the new value of OPENAI_API_KEY", QUICK);
        Button enter = chat.message(ask.ref()).buttons().get(0);

        int whispers = chat.size();
        bot.press("bob", enter.token(), ask.ref(), platform);
        Event refused = chat.awaitWhisper(whispers, QUICK);
        assertTrue(refused.message().title().contains("Only the person who started the run"), refused.message().plainText());
        assertEquals(0, platform.modalCount(), "no form for bob");

        bot.press("alice", enter.token(), ask.ref(), platform);
        ModalChatPort.Opened form = platform.awaitModal(0, QUICK);
        assertEquals("alice", form.origin().user().id());
        bot.bot.onModalSubmit(TestBot.as("alice", platform), form.modal().token(), Map.of("value", fresh));

        Message done = finished(live);
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        assertEquals(fresh, env().get("OPENAI_API_KEY"));
        assertTrue(containerEnv("backend").contains("OPENAI_API_KEY=" + fresh));
        assertTrue(chat.message(ask.ref()).code().contains("fingerprint " + SecretGenerator.fingerprint(fresh)));
        assertNoValueInChat();
    }

    @Test
    @Order(4)
    void aLeakedSecretIsRotatedAndTheChecklistAndAuditSayWhatWasDone() throws Exception {
        String old = env().get("SECRET_KEY");
        Message done = finished(confirm("alice", "secret-leaked SECRET_KEY"));
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
        String now = env().get("SECRET_KEY");
        values.add(now);
        assertNotEquals(old, now);
        Event checklist = chat.awaitPostWithTitle(0, "Leaked SECRET_KEY rotated", QUICK);
        String text = checklist.message().plainText();
        assertTrue(text.contains("Read by backend, worker, leaky") && text.contains("remove it from git history")
                && text.contains("Audit where it was used"), text);
        assertTrue(bot.bot.services().audit().recent(50).stream().anyMatch(a -> a.action().equals("secret.leaked")
                && a.detail().equals("SECRET_KEY") && a.outcome().contains(SecretGenerator.fingerprint(now))));
        assertNoValueInChat();
    }
}
