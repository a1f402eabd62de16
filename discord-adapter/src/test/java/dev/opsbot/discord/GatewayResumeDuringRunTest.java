package dev.opsbot.discord;

import static dev.opsbot.core.testing.DemoStack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discord's gateway asks the bot to reconnect (op 7) and then closes its session (4000) in the
 * middle of a real run: JDA resumes the same session each time, the run's messages keep arriving,
 * and a press after the resumes is answered once.
 */
@Timeout(300)
class GatewayResumeDuringRunTest {
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final String CHANNEL_MESSAGES = "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages";

    @TempDir
    Path dir;

    @Test
    void aResumedSessionKeepsTheRunsMessagesAndAnswersTheNextPressOnce() throws Exception {
        try (DockerEngine docker = DockerSupport.connect();
             DemoStack stack = new DemoStack(docker.host(), dir);
             FakeDiscord discord = new FakeDiscord().start()) {
            stack.upAndMigrate();
            RunbookCatalog runbooks = new RunbookCatalog(RepoRoot.get().resolve("runbooks"));
            runbooks.refresh();
            try (DiscordAdapter adapter = new DiscordAdapter(discord.settings(), BuiltinCommands.discover().menuWith(runbooks.all().values()));
                 TestBot bot = new TestBot(dir, stack.stack(), docker.host(), adapter)) {
                adapter.start(bot.bot);
                FakeDiscord.Person dana = FakeDiscord.deployer();
                discord.slashCommand(dana, "rollback", Map.of("tag", VERSION));
                FakeDiscord.Request ask = discord.awaitRequest(
                        r -> r.is("POST", CHANNEL_MESSAGES) && r.title().startsWith("Confirm: rollback"), QUICK, "a confirmation");
                discord.pressButton(dana, ask.response().path("id").asText(), button(ask, "Confirm"));
                FakeDiscord.Request question = discord.awaitRequest(r -> r.is("POST", CHANNEL_MESSAGES) && hasButton(r, "Skip"),
                        Duration.ofSeconds(60), "the run's question");

                // While the run waits for its answer, the gateway asks for a reconnect, then closes the session outright.
                long askedAt = System.nanoTime();
                discord.askToReconnect();
                awaitResumed(discord, adapter, 1);
                long resumedMillis = (System.nanoTime() - askedAt) / 1_000_000;
                long closedAt = System.nanoTime();
                discord.closeSessions(4000);
                awaitResumed(discord, adapter, 2);
                long resumedAfterCloseMillis = (System.nanoTime() - closedAt) / 1_000_000;

                String press = discord.pressButton(dana, question.response().path("id").asText(), button(question, "Skip"));
                FakeDiscord.Request done = discord.awaitRequest(r -> r.is("PATCH", CHANNEL_MESSAGES + "/.*")
                        && r.title().startsWith("Succeeded: rollback " + VERSION), Duration.ofSeconds(180), "the run's outcome");
                assertTrue(done.title().contains("(run #1)"), done.title());
                assertEquals(1, discord.requests("POST", "/api/v10/interactions/" + press + "/.*/callback").size(),
                        "the press after the resume was answered once");
                assertEquals(1, discord.requests("POST", CHANNEL_MESSAGES).stream().filter(r -> hasButton(r, "Skip")).count(),
                        "the question was asked once");
                assertEquals(1, discord.identifies(), "the session was resumed, not started afresh");
                String image = stack.services().get("backend").image();
                assertTrue(image.endsWith(":" + VERSION), image);
                System.out.println("Discord session resumed " + resumedMillis + " ms after op 7, "
                        + resumedAfterCloseMillis + " ms after close 4000");
            }
        }
    }

    private static void awaitResumed(FakeDiscord discord, DiscordAdapter adapter, int resumes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (discord.resumes() < resumes || adapter.notReady().isPresent()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the session was not resumed: " + adapter.notReady());
            Thread.sleep(50);
        }
    }

    private static boolean hasButton(FakeDiscord.Request r, String label) {
        if (r.json() == null) return false;
        for (JsonNode row : r.json().path("components")) {
            for (JsonNode b : row.path("components")) if (b.path("label").asText().equals(label)) return true;
        }
        return false;
    }

    private static String button(FakeDiscord.Request r, String label) {
        for (JsonNode row : r.json().path("components")) {
            for (JsonNode b : row.path("components")) if (b.path("label").asText().equals(label)) return b.path("custom_id").asText();
        }
        throw new AssertionError("no " + label + " button on " + r.json());
    }
}
