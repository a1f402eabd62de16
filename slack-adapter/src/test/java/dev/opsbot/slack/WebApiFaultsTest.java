package dev.opsbot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Tone;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which calls are sent again when Slack answers 500 or 429, and which are not, so none shows twice. */
@Timeout(60)
class WebApiFaultsTest {

    static final ChannelRef OPS = ChannelRef.of("slack", "C0OPS");

    FakeSlack slack;
    SlackAdapter adapter;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        adapter = new SlackAdapter(new SlackSettings("xoxb-test", null, "secret", slack.apiUrl(), 0, SlackSettings.DEFAULT_PATH, false));
        adapter.start(new RecordingInbox());
    }

    @AfterEach
    void stop() throws Exception {
        adapter.close();
        slack.close();
    }

    @Test
    void anUpdateIsSentAgainThroughServerErrorsAndRateLimitsAndArrivesOnce() {
        MessageRef live = adapter.post(OPS, Message.of(Tone.PROGRESS, "Running", "step 1"));
        slack.failNextCalls(2, 1);

        adapter.update(live, Message.of(Tone.SUCCESS, "Succeeded", "all steps"));

        List<Integer> statuses = slack.calls("chat.update").stream().map(FakeSlack.Call::status).toList();
        assertEquals(List.of(500, 500, 429, 200), statuses);
        assertTrue(slack.calls("chat.update").get(3).visibleText().contains("Succeeded"));
    }

    @Test
    void aPostSlackFailedIsNotSentAgainSinceSlackMayHavePostedIt() {
        slack.failNextCalls(1, 0);

        SlackCallException e = assertThrows(SlackCallException.class, () -> adapter.post(OPS, Message.of(Tone.INFO, "Hello", "once")));

        assertEquals(1, slack.calls("chat.postMessage").size());
        assertTrue(e.getMessage().contains("not sent again"), e.getMessage());
    }

    @Test
    void aRateLimitedPostIsSentAgainAndShownOnce() {
        slack.failNextCalls(0, 2);

        adapter.post(OPS, Message.of(Tone.INFO, "Hello", "once"));

        assertEquals(List.of(429, 429, 200), slack.calls("chat.postMessage").stream().map(FakeSlack.Call::status).toList());
    }
}
