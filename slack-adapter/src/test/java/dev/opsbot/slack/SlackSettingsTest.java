package dev.opsbot.slack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SlackSettingsTest {

    @ParameterizedTest(name = "bot={0} app={1} secret={2} -> enabled={3} mode={4}")
    @CsvSource(nullValues = "-", value = {
            // bot token,  app token,  secret,  enabled, mode
            "-,            -,          -,       false,   HTTP",    // nothing set: Slack is off
            "xoxb-1,       -,          -,       false,   HTTP",    // a bot token alone cannot receive anything
            "-,            xapp-1,     -,       false,   SOCKET",  // no bot token: nothing can be posted
            "xoxb-1,       xapp-1,     -,       true,    SOCKET",  // Socket Mode
            "xoxb-1,       -,          s3cret,  true,    HTTP",    // HTTP mode
            "xoxb-1,       xapp-1,     s3cret,  true,    SOCKET",  // both: Socket Mode wins
            "'  ',         xapp-1,     -,       false,   SOCKET",  // blank counts as unset
    })
    void modeFollowsWhichTokensAreSet(String bot, String app, String secret, boolean enabled, SlackSettings.Mode mode) {
        Map<String, String> env = new HashMap<>();
        if (bot != null) env.put("SLACK_BOT_TOKEN", bot);
        if (app != null) env.put("SLACK_APP_TOKEN", app);
        if (secret != null) env.put("SLACK_SIGNING_SECRET", secret);

        SlackSettings settings = SlackSettings.fromEnvironment(env);

        assertEquals(enabled, settings.enabled());
        assertEquals(mode, settings.mode());
    }

    @Test
    void defaults() {
        SlackSettings s = SlackSettings.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "x"));

        assertEquals("https://slack.com/api/", s.apiUrl());
        assertEquals("https://slack.com/api/", s.apiUrlPrefix());
        assertEquals(3000, s.httpPort());
        assertEquals("/slack/events", s.path());
        assertFalse(s.threadReplies());
    }

    @Test
    void variablesOverrideDefaults() {
        SlackSettings s = SlackSettings.fromEnvironment(Map.of(
                "SLACK_BOT_TOKEN", "xoxb-1",
                "SLACK_SIGNING_SECRET", "x",
                "SLACK_API_URL", "http://proxy.internal:8080/slack/api",
                "OPSBOT_HTTP_PORT", "8081",
                "OPSBOT_SLACK_THREAD_REPLIES", "true"));

        assertEquals("http://proxy.internal:8080/slack/api/", s.apiUrlPrefix());
        assertEquals(8081, s.httpPort());
        assertTrue(s.threadReplies());
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
            "OPSBOT_HTTP_PORT,            eighty",
            "OPSBOT_HTTP_PORT,            70000",
            "OPSBOT_SLACK_THREAD_REPLIES, maybe",
            "SLACK_API_URL,               slack.com/api",
    })
    void badValuesAreRefusedWithTheVariablesName(String name, String value) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SlackSettings.fromEnvironment(Map.of(name, value)));
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void secretsNeverAppearInToString() {
        SlackSettings s = SlackSettings.fromEnvironment(Map.of(
                "SLACK_BOT_TOKEN", "xoxb-very-secret",
                "SLACK_APP_TOKEN", "xapp-very-secret",
                "SLACK_SIGNING_SECRET", "signing-very-secret"));

        assertFalse(s.toString().contains("very-secret"), s.toString());
    }

    @Test
    void anAdapterNeedsEnoughToConnect() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SlackAdapter(SlackSettings.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-1"))));
        assertTrue(e.getMessage().contains("SLACK_APP_TOKEN"));
    }
}
