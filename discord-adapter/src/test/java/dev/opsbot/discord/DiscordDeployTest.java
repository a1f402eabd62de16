package dev.opsbot.discord;

import static dev.opsbot.core.testing.DemoStack.GOOD;
import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.DockerSupport;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ops deploy} through Discord end to end: the real JDA against {@link FakeDiscord},
 * the core's bot, and the demo stack on a real Docker engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class DiscordDeployTest {
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final Duration RUN = Duration.ofSeconds(150);
    private static final String CHANNEL_MESSAGES = "/api/v10/channels/" + FakeDiscord.CHANNEL_ID + "/messages";
    private static final int SUCCESS = 0x57F287;
    private static final int PROGRESS = 0x3498DB;

    @TempDir
    static Path dir;
    DockerEngine docker;
    DemoStack stack;
    FakeDiscord discord;
    DiscordAdapter adapter;
    TestBot bot;

    @BeforeAll
    void start() throws Exception {
        docker = DockerSupport.connect();
        stack = new DemoStack(docker.host(), dir);
        stack.upAndMigrate();
        discord = new FakeDiscord().start();
        RunbookCatalog runbooks = new RunbookCatalog(RepoRoot.get().resolve("runbooks"));
        runbooks.refresh();
        adapter = new DiscordAdapter(discord.settings(), BuiltinCommands.discover().menuWith(runbooks.all().values()));
        bot = new TestBot(dir, stack.stack(), docker.host(), adapter);
        adapter.start(bot.bot);
    }

    @AfterAll
    void stop() throws Exception {
        if (adapter != null) adapter.close();
        if (bot != null) bot.close();
        if (stack != null) stack.close();
        if (discord != null) discord.close();
        if (docker != null) docker.close();
    }

    @Test
    void deployThroughDiscordConfirmedByTheRequesterWithLiveOutputAndTheLogAttached() throws Exception {
        FakeDiscord.Person dana = FakeDiscord.deployer();
        FakeDiscord.Person sam = FakeDiscord.bystander();
        assertEquals(GOOD, tag("backend"));

        // /ops deploy <tag>: acknowledged at once, then a confirmation with buttons in the channel.
        String command = discord.slashCommand(dana, "deploy", Map.of("tag", NEWER));
        assertEquals(4, discord.awaitRequest("POST", "/api/v10/interactions/" + command + "/.*/callback", QUICK)
                .json().path("type").asInt(), "answered at once with the private receipt");
        FakeDiscord.Request ask = discord.awaitRequest(
                r -> r.is("POST", CHANNEL_MESSAGES) && r.title().equals("Confirm: deploy " + NEWER), QUICK, "a confirmation");
        String askId = ask.response().path("id").asText();
        JsonNode buttons = ask.json().path("components").path(0).path("components");
        assertEquals("Confirm", buttons.path(0).path("label").asText());
        assertEquals("Cancel", buttons.path(1).path("label").asText());
        String confirm = buttons.path(0).path("custom_id").asText();
        assertEquals(GOOD, tag("backend"), "nothing changes before the press");

        // Someone else's press is refused privately and changes nothing.
        String foreign = discord.pressButton(sam, askId, confirm);
        FakeDiscord.Request refusal = followUp(foreign);
        assertEquals(64, refusal.json().path("flags").asInt());
        assertEquals("Only dana can confirm this", refusal.title());
        assertTrue(discord.requests("PATCH", CHANNEL_MESSAGES + "/" + askId).isEmpty(), "the confirmation is as it was");
        assertEquals(GOOD, tag("backend"));

        // The requester's press runs the deploy: the confirmation loses its buttons, a live message follows the run.
        String press = discord.pressButton(dana, askId, confirm);
        assertEquals(6, discord.awaitRequest("POST", "/api/v10/interactions/" + press + "/.*/callback", QUICK)
                .json().path("type").asInt());
        FakeDiscord.Request confirmed = discord.awaitRequest("PATCH", CHANNEL_MESSAGES + "/" + askId, QUICK);
        assertEquals("Confirmed: deploy " + NEWER, confirmed.title().replaceAll(" \\(run #\\d+\\)$", ""));
        assertEquals(0, confirmed.json().path("components").size());
        FakeDiscord.Request running = discord.awaitRequest(
                r -> r.is("POST", CHANNEL_MESSAGES) && r.title().startsWith("Running: deploy " + NEWER), QUICK, "the live message");
        String liveId = running.response().path("id").asText();
        FakeDiscord.Request done = discord.awaitRequest(r -> r.is("PATCH", CHANNEL_MESSAGES + "/" + liveId)
                && !r.title().startsWith("Running"), RUN, "the result");
        JsonNode result = done.json().path("embeds").path(0);
        assertEquals(SUCCESS, result.path("color").asInt(), result.toString());
        assertTrue(result.path("title").asText().startsWith("Succeeded: deploy " + NEWER), result.toString());

        // Live edits in between, at most one a second, showing the steps' output.
        List<FakeDiscord.Request> progress = discord.requests("PATCH", CHANNEL_MESSAGES + "/" + liveId).stream()
                .filter(r -> r.json().path("embeds").path(0).path("color").asInt() == PROGRESS).toList();
        assertTrue(progress.size() >= 2, progress.size() + " live edits");
        assertTrue(progress.stream().anyMatch(r -> r.json().path("embeds").path(0).path("description").asText()
                .contains("```\n\u25b6 [")), "the output is a code block of steps");
        for (int i = 1; i < progress.size(); i++) {
            Duration gap = Duration.between(progress.get(i - 1).at(), progress.get(i).at());
            assertTrue(gap.toMillis() >= 900, "live edits " + gap.toMillis() + " ms apart");
        }

        // The full log, attached as a reply to the live message.
        FakeDiscord.Request log = discord.awaitRequest(r -> r.is("POST", CHANNEL_MESSAGES) && !r.files().isEmpty(),
                QUICK, "the log");
        assertEquals(liveId, log.json().path("message_reference").path("message_id").asText());
        assertTrue(log.files().get(0).fileName().matches("opsbot-run-\\d+-deploy\\.log"), log.files().get(0).fileName());
        String text = new String(log.files().get(0).data(), StandardCharsets.UTF_8);
        assertTrue(text.contains("alembic upgrade head") || text.contains("migrate"), text);

        // The containers run the new tag.
        assertEquals(NEWER, tag("backend"));
        assertEquals(NEWER, tag("worker"));
        assertTrue(stack.services().values().stream().allMatch(ServiceContainer::running));

        // A button pressed after it expired is refused privately and changes nothing.
        discord.slashCommand(dana, "deploy", Map.of("tag", GOOD));
        FakeDiscord.Request second = discord.awaitRequest(
                r -> r.is("POST", CHANNEL_MESSAGES) && r.title().equals("Confirm: deploy " + GOOD), QUICK, "a second confirmation");
        bot.clock.advance(Duration.ofMinutes(11));
        String late = discord.pressButton(dana, second.response().path("id").asText(),
                second.json().path("components").path(0).path("components").path(0).path("custom_id").asText());
        FakeDiscord.Request expired = followUp(late);
        assertEquals(64, expired.json().path("flags").asInt());
        assertEquals("This button has expired", expired.title());
        assertEquals(NEWER, tag("backend"), "the expired press deployed nothing");
    }

    @Test
    void theSubcommandsAreTheVerbsTheBotsHelpLists() throws Exception {
        FakeDiscord.Request registered = discord.awaitRequest("PUT", "/api/v10/applications/.*/commands", QUICK);
        Set<String> subcommands = new TreeSet<>();
        registered.json().path(0).path("options").forEach(o -> subcommands.add(o.path("name").asText()));
        subcommands.remove(CommandSpec.FREE_TEXT_VERB);

        String id = discord.slashCommand(FakeDiscord.deployer(), "help", Map.of());
        FakeDiscord.Request help = discord.awaitRequest(r -> r.is("PATCH",
                "/api/v10/webhooks/.*/interaction-token-" + id + "/messages/@original") && !r.title().isEmpty(), QUICK, "help");
        Set<String> listed = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^/ops ([a-z][a-z0-9-]*)").matcher(help.json().path("embeds").path(0)
                .path("description").asText());
        while (m.find()) listed.add(m.group(1));
        // unlock --force is typed through /ops run on purpose, not offered as a subcommand
        listed.remove("unlock");
        assertEquals(listed, subcommands);
    }

    private FakeDiscord.Request followUp(String interactionId) throws InterruptedException {
        return discord.awaitRequest("POST",
                "/api/v10/webhooks/" + FakeDiscord.APPLICATION_ID + "/interaction-token-" + interactionId, QUICK);
    }

    private String tag(String service) {
        String image = stack.services().get(service).image();
        return image.substring(image.lastIndexOf(':') + 1);
    }
}
