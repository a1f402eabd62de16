package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.ChatAdapter;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.discord.FakeDiscord;
import dev.opsbot.slack.FakeSlack;
import dev.opsbot.slack.SlackAdapter;
import dev.opsbot.slack.SlackEventsClient;
import dev.opsbot.slack.SlackPayloads;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack and Discord in one bot process, as {@code ./opsbot run} starts them when both sets of
 * variables are set: one okhttp on the classpath, each platform answered through its own API.
 */
class BothAdaptersTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET = "both-adapters-signing-secret";

    @Test
    void exactlyOneOkHttpIsOnTheApplicationClasspath() throws Exception {
        List<URL> copies = Collections.list(getClass().getClassLoader().getResources("okhttp3/OkHttpClient.class"));
        assertEquals(1, copies.size(), "okhttp3.OkHttpClient found in " + copies);
        assertTrue(copies.get(0).toString().contains("okhttp-jvm-5."), copies.get(0).toString());
    }

    @Test
    @Timeout(90)
    void oneProcessAnswersSlackAndDiscord(@TempDir Path dir) throws Exception {
        try (FakeSlack slack = new FakeSlack(); FakeDiscord discord = new FakeDiscord().start()) {
            Map<String, String> env = new HashMap<>(discord.environment());
            env.put("SLACK_BOT_TOKEN", "xoxb-both");
            env.put("SLACK_SIGNING_SECRET", SECRET);
            env.put("SLACK_API_URL", slack.apiUrl());
            env.put("OPSBOT_HTTP_PORT", "0");
            env.put("OPSBOT_DATA", dir.resolve("data").toString());
            env.put("OPSBOT_RUNBOOKS", RepoRoot.get().resolve("runbooks").toString());
            // Anyone may look: /ops help and /ops history need no role beyond viewer.
            AppConfig config = AppConfig.load(RepoRoot.get(), dir.resolve("none.yml"), env);
            try (BotRuntime rt = new BotRuntime(config, env, RepoRoot.get())) {
                List<ChatAdapter> adapters = new ChatAdapters(env).configured(rt.environments.commands());
                assertEquals(List.of("slack", "discord"), adapters.stream().map(ChatAdapter::platform).toList());
                try {
                    for (ChatAdapter adapter : adapters) {
                        rt.bot.register(adapter);
                        adapter.start(rt.bot);
                    }
                    rt.bot.start();

                    SlackAdapter slackAdapter = (SlackAdapter) adapters.get(0);
                    var answer = new SlackEventsClient(slackAdapter.localPort(), "/slack/events", SECRET)
                            .command(SlackPayloads.slashCommand("C0OPS", "U0ALICE", "alice", "history",
                                    slack.responseUrl("r1"), "trigger-1"));
                    assertEquals(200, answer.status());
                    FakeSlack.Call posted = slack.awaitCall("chat.postMessage", WAIT);
                    assertTrue(posted.params().get("text").contains("History of demo"), posted.params().toString());

                    discord.slashCommand(FakeDiscord.deployer(), "history", Map.of());
                    FakeDiscord.Request message = discord.awaitRequest(r -> r.method().equals("POST")
                            && r.title().contains("History of demo"), WAIT, "a history message on Discord");
                    assertTrue(message.path().contains("/channels/"), message.path());
                } finally {
                    adapters.forEach(ChatAdapter::close);
                }
            }
        }
    }
}
