package dev.opsbot.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.slack.api.app_backend.SlackSignature;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The adapter's signature of a request is Bolt's, byte for byte, so Slack's requests pass as they did. */
class BoltAppTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // secret | timestamp | body
            "8f742231b10e8888abcd99yyyzzz85a5 | 1531420618 | token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fops&text=ps",
            "s3cr3t                           | 1700000000 | payload=%7B%22type%22%3A%22block_actions%22%7D",
            "s3cr3t                           | 1700000001 | {\"type\":\"event_callback\",\"text\":\"déploiement — ok ✓\"}",
            "another-secret                   | 1          | ''",
    })
    void signsAsBoltDoes(String secret, String timestamp, String body) {
        String bolt = new SlackSignature.Generator(secret).generate(timestamp, body);
        BoltApp.Signature ours = new BoltApp.Signature(secret);
        assertEquals(bolt, ours.generate(timestamp, body));
        assertEquals(bolt, ours.generate(timestamp, body), "the same again: the MAC is reused");
    }

    @ParameterizedTest
    @CsvSource({"s3cr3t"})
    void aRequestWithoutTimestampHasNoSignature(String secret) {
        assertNull(new BoltApp.Signature(secret).generate(null, "text=ps"));
    }
}
