package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.builtin.BuiltinCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two adapters (two replicas of the bot) on one Discord bot, as Discord treats them: both
 * sessions receive every interaction, and only the first initial response to it is taken; the
 * other is refused with 40060, as Discord refuses it.
 */
@Timeout(60)
class GatewayReplicasTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingInbox inboxA = new RecordingInbox();
    private final RecordingInbox inboxB = new RecordingInbox();
    private FakeDiscord discord;
    private DiscordAdapter a;
    private DiscordAdapter b;

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord().start();
        a = adapter("a");
        b = adapter("b");
        a.start(inboxA);
        b.start(inboxB);
        discord.awaitSession("a", WAIT);
        discord.awaitSession("b", WAIT);
    }

    private DiscordAdapter adapter(String replica) {
        return new DiscordAdapter(DiscordSettings.fromEnvironment(discord.environment(replica)),
                BuiltinCommands.discover().menuWith(List.of()));
    }

    @AfterEach
    void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        if (discord != null) discord.close();
    }

    @Test
    void everyInteractionReachesBothSessionsAndOnlyTheFirstAnswerIsTaken() throws Exception {
        String id = discord.slashCommand(FakeDiscord.deployer(), "history", Map.of());

        List<FakeDiscord.Request> callbacks = awaitCallbacks(id, 2);
        assertEquals(Set.of("a", "b"), Set.of(callbacks.get(0).replica(), callbacks.get(1).replica()),
                "each replica answered the interaction it received");
        String winner = discord.callbacks().answeredBy(id).orElseThrow();
        List<InteractionCallbacks.Callback> refused = discord.callbacks().refused();
        assertEquals(1, refused.size(), refused.toString());
        assertEquals(id, refused.get(0).interactionId());
        assertTrue(!refused.get(0).replica().equals(winner), "the second answer came from the other replica");
    }

    @Test
    void eachReplicasRequestsAreMarkedWithItsName() throws Exception {
        String path = "/api/v10/applications/" + FakeDiscord.APPLICATION_ID + "/guilds/" + FakeDiscord.GUILD_ID + "/commands";
        discord.awaitRequest(r -> r.is("PUT", path) && r.replica().equals("a"), WAIT, "a's registration");
        discord.awaitRequest(r -> r.is("PUT", path) && r.replica().equals("b"), WAIT, "b's registration");
    }

    private List<FakeDiscord.Request> awaitCallbacks(String interactionId, int count) throws InterruptedException {
        String callback = "/api/v10/interactions/" + interactionId + "/.*/callback";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (discord.requests("POST", callback).size() < count) {
            if (System.nanoTime() > deadline) throw new AssertionError("no " + count + " callbacks: " + discord.summary());
            Thread.sleep(20);
        }
        return discord.requests("POST", callback);
    }
}
