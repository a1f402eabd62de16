package dev.opsbot.core.flow;

import static dev.opsbot.core.testing.DemoStack.GOOD;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditEntry;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DatabaseServer;
import dev.opsbot.core.store.DeployRecord;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.LockStore;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy end to end with the bot's state in PostgreSQL, against the real Docker engine: asked,
 * confirmed by a press delivered twice (as a platform retrying it would), run once, and everything
 * it leaves readable by another connection, as another replica would read it.
 */
@Timeout(240)
class DeployOnPostgresTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final Duration RUN = Duration.ofSeconds(150);

    @Test
    void aDeployConfirmedTwiceRunsOnceAndLeavesItsRecordsInPostgresql(@TempDir Path dir) throws Exception {
        DatabaseServer server = POSTGRES.server();
        RecordingChatPort chat = new RecordingChatPort();
        try (DockerEngine engine = DockerSupport.connect(); DemoStack stack = new DemoStack(engine.host(), dir)) {
            stack.upAndMigrate();
            try (TestBot bot = new TestBot(Database.open(server, "opsbot"), dir, stack.stack(), engine.host(), chat)) {
                int from = chat.size();
                bot.type("alice", "deploy " + NEWER, chat);
                Event confirmation = chat.awaitPostWithTitle(from, "Confirm: deploy " + NEWER, QUICK);
                Button confirm = chat.message(confirmation.ref()).buttons().stream().filter(b -> b.label().equals("Confirm"))
                        .findFirst().orElseThrow();

                int pressed = chat.size();
                bot.press("alice", confirm.token(), confirmation.ref(), chat);
                bot.press("alice", confirm.token(), confirmation.ref(), chat);
                Event live = chat.awaitPostWithTitle(pressed, "Running: deploy", QUICK);
                Message done = chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, RUN);
                assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
                assertTrue(done.text().contains("Health verified"), done.text());
                assertTrue(chat.awaitWhisper(pressed, QUICK).message().title().contains("Already decided"));
                assertEquals(1, chat.events().subList(pressed, chat.size()).stream()
                        .filter(e -> e.kind().equals("post") && e.message().title().startsWith("Running: ")).count(), "one run");
            }
        }

        try (Database replica = Database.open(server, "opsbot")) {
            DeployRecord deploy = new DeployStore(replica).recent("demo", "backend", 5).get(0);
            assertEquals(GOOD, deploy.tagBefore());
            assertEquals(NEWER, deploy.tagAfter());
            assertTrue(deploy.healthVerified());
            assertEquals(RunStatus.SUCCEEDED, new RunStore(replica).find(deploy.runId()).orElseThrow().status());
            assertEquals(Optional.empty(), new LockStore(replica).held("demo"), "the stack's lock was let go");
            AuditLog audit = new AuditLog(replica, Redactor.shapesOnly());
            assertEquals(Optional.empty(), audit.verify());
            assertTrue(audit.recent(100).stream().map(AuditEntry::action).toList().containsAll(List.of("command", "press")),
                    audit.recent(100).toString());
        }
    }
}
