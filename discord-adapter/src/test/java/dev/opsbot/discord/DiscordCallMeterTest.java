package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** REST calls are counted by route: ids and interaction tokens never become label values. */
class DiscordCallMeterTest {

    private record Row(String method, String path, String route) { }

    @Test
    void routesKeepTheirWordsAndLoseTheirIdsAndTokens() {
        List<Row> rows = List.of(
                // a message in a channel
                new Row("POST", "/api/v10/channels/1234567890123/messages", "POST channels/{id}/messages"),
                // an edit of one
                new Row("PATCH", "/api/v10/channels/1234567890123/messages/998877", "PATCH channels/{id}/messages/{id}"),
                // an interaction's deferral: the token is long and mixed-case
                new Row("POST", "/api/v10/interactions/1111/aW50ZXJhY3Rpb246MTExMTpUb2tlbg/callback", "POST interactions/{id}/{id}/callback"),
                // the hook's original answer
                new Row("PATCH", "/api/v10/webhooks/2222/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original", "PATCH webhooks/{id}/{id}/messages/@original"),
                // command registration in a server
                new Row("PUT", "/api/v10/applications/3333/guilds/4444/commands", "PUT applications/{id}/guilds/{id}/commands"),
                // a path without the version prefix
                new Row("GET", "/gateway/bot", "GET gateway/bot"));
        for (Row row : rows) {
            assertEquals(row.route(), DiscordCallMeter.route(row.method(), row.path()), row.toString());
        }
    }
}
