package dev.opsbot.core.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.store.AuditEntry;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Secrets typed where they must not be, and a platform without private forms: no engine needed. */
@Timeout(60)
class SecretPasteTest {
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final String DEMO_SECRET = "change-me-demo-secret-0000";

    @TempDir
    Path dir;
    DockerEngine noDocker;
    RecordingChatPort chat = new RecordingChatPort();
    TestBot bot;

    @BeforeEach
    void setUp() throws Exception {
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stackDir.resolve(".env"));
        noDocker = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"));
        bot = new TestBot(dir, new Stack("demo", stackDir.resolve("docker-compose.yml"), "opsbot-paste", Map.of()), noDocker.host(), chat);
    }

    @AfterEach
    void tearDown() {
        bot.close();
        noDocker.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "deploy " + DEMO_SECRET + "                 | /ops secret-leaked SECRET_KEY",        // a value of .env
            "logs backend --tail " + DEMO_SECRET + "    | /ops secret-leaked SECRET_KEY",        // anywhere in the command
            "deploy xoxb-123456789012-abcdefghijkl      | Rotate it where it was issued",         // a Slack token shape
            "rollback ghp_abcdefghijklmnopqrstuvwxyz0123 | Rotate it where it was issued"})       // a GitHub token shape
    void aPastedSecretIsRefusedNotRunAndTheChannelIsToldToRotateIt(String command, String advice) throws Exception {
        bot.type("alice", command, chat);
        Event told = chat.awaitPostWithTitle(0, "A secret was typed into a command", QUICK);
        assertTrue(told.message().plainText().contains(advice), told.message().plainText());
        Event whisper = chat.awaitWhisper(0, QUICK);
        assertEquals("Not run: the command holds a secret", whisper.message().title());
        assertTrue(chat.events().stream().noneMatch(e -> e.message() != null && e.message().title().startsWith("Confirm")), "nothing asked, nothing run");
        for (Event e : chat.events()) {
            String shown = e.message().plainText();
            assertFalse(shown.contains(DEMO_SECRET) || shown.contains("xoxb-1") || shown.contains("ghp_a"), shown);
        }
        AuditEntry pasted = bot.bot.services().audit().recent(10).stream().filter(a -> a.action().equals("secret.pasted")).findFirst().orElseThrow();
        assertEquals("refused", pasted.outcome());
        assertTrue(bot.bot.services().audit().recent(10).stream().noneMatch(a -> a.detail().contains(DEMO_SECRET) || a.detail().contains("xoxb-1")));
    }

    @Test
    void theRotateButtonOfAPastedValueAsksToConfirmTheLeakResponse() throws Exception {
        bot.type("alice", "deploy " + DEMO_SECRET, chat);
        Event told = chat.awaitPostWithTitle(0, "A secret was typed into a command", QUICK);
        var rotate = chat.message(told.ref()).buttons().get(0);
        assertEquals("Rotate SECRET_KEY now", rotate.label());
        int from = chat.size();
        bot.press("bob", rotate.token(), told.ref(), chat);
        chat.awaitPostWithTitle(from, "Confirm: secret-leaked SECRET_KEY", QUICK);
    }

    @Test
    void aPlatformWithoutPrivateFormsRefusesToTakeAnExternalKeyAndChangesNothing() throws Exception {
        Path env = dir.resolve("stack/.env");
        String before = Files.readString(env);
        bot.type("alice", "rotate-secret OPENAI_API_KEY", chat);
        Event ask = chat.awaitPostWithTitle(0, "Confirm: rotate-secret OPENAI_API_KEY", QUICK);
        assertTrue(chat.message(ask.ref()).text().contains("entered in a private form"), chat.message(ask.ref()).text());
        int from = chat.size();
        bot.press("alice", chat.message(ask.ref()).buttons().get(0).token(), ask.ref(), chat);
        Event live = chat.awaitPostWithTitle(from, "Running: rotate-secret", QUICK);
        Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertEquals(Tone.FAILURE, done.tone());
        assertTrue(done.text().contains("this platform has no private forms") && done.text().contains("Nothing was changed"), done.text());
        assertEquals(before, Files.readString(env));
        assertFalse(Files.exists(dir.resolve("stack/.env.previous")));
    }

    @Test
    void aVariableThatIsNotInEnvIsRefusedWithASuggestion() throws Exception {
        bot.type("alice", "rotate-secret SECRET_KEYS", chat);
        Event ask = chat.awaitPostWithTitle(0, "Confirm: rotate-secret SECRET_KEYS", QUICK);
        int from = chat.size();
        bot.press("alice", chat.message(ask.ref()).buttons().get(0).token(), ask.ref(), chat);
        Event live = chat.awaitPostWithTitle(from, "Running: rotate-secret", QUICK);
        Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
        assertTrue(done.text().contains("SECRET_KEYS is not in") && done.text().contains("Did you mean SECRET_KEY?"), done.text());
    }
}
