package dev.opsbot.core.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** After a release, "deploy by version" of the production runbook: /ops deploy 0.1.0 pins :0.1.0. */
@Timeout(180)
class ReleaseVersionDeployTest {
    @TempDir
    Path dir;

    @Test
    void deployingAVersionPinsTheVersionTagAndRunsIt() throws Exception {
        DockerEngine engine = DockerSupport.connect();
        RecordingChatPort chat = new RecordingChatPort();
        try (engine; DemoStack stack = new DemoStack(engine.host(), dir); TestBot bot = new TestBot(dir, stack.stack(), engine.host(), chat)) {
            stack.upAndMigrate();
            bot.type("alice", "deploy " + DemoStack.VERSION, chat);
            Event ask = chat.awaitPostWithTitle(0, "Confirm: deploy 0.1.0", Duration.ofSeconds(20));
            assertTrue(chat.message(ask.ref()).text().contains("backend: " + DemoStack.GOOD + " -> 0.1.0"), chat.message(ask.ref()).text());
            int from = chat.size();
            bot.press("alice", chat.message(ask.ref()).buttons().get(0).token(), ask.ref(), chat);
            Event live = chat.awaitPostWithTitle(from, "Running: deploy 0.1.0", Duration.ofSeconds(20));
            Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, Duration.ofSeconds(150));
            assertEquals(Tone.SUCCESS, done.tone(), done.plainText());

            String compose = stack.composeText();
            assertTrue(compose.contains("image: 127.0.0.1:5000/opsbot-demo/backend:0.1.0   # pinned by the bot"), compose);
            assertTrue(compose.contains("image: 127.0.0.1:5000/opsbot-demo/worker:0.1.0"), compose);
            assertEquals("127.0.0.1:5000/opsbot-demo/backend:0.1.0", stack.services().get("backend").image());
            assertEquals("127.0.0.1:5000/opsbot-demo/worker:0.1.0", stack.services().get("worker").image());
        }
    }
}
