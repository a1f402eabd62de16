package dev.opsbot.bench;

import com.google.gson.JsonObject;
import dev.opsbot.slack.FakeSlack;
import dev.opsbot.slack.FakeSocketMode;
import dev.opsbot.slack.SlackPayloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Slack's Socket Mode: slash command envelopes down the bot's websocket (the slack-adapter tests'
 * fake Slack, one connection); the envelope's acknowledgement is the acknowledgement. The fake
 * keeps what it saw, so {@link #refresh} reads it from there.
 */
final class SlackSocketModePath implements InboundPath {
    private static final String REPLICA = "bench";
    /** Envelopes are sent again when unacknowledged this long: longer than any load, so each command arrives once. */
    private static final Duration NO_RETRY = Duration.ofMinutes(5);

    private final FakeSlack slack;
    private volatile JsonObject[] payloads = new JsonObject[0];
    private volatile String[] envelopes = new String[0];
    private volatile Acks acks;
    private volatile Answers answers;
    private int ackedUpTo;
    private int callsSeen;

    SlackSocketModePath() throws Exception {
        this.slack = new FakeSlack();
        slack.socketMode().retryAfter(NO_RETRY);
    }

    @Override
    public String id() {
        return "socket";
    }

    @Override
    public String label() {
        return "Slack Socket Mode";
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("SLACK_BOT_TOKEN", FakeSlackApi.BOT_TOKEN, "SLACK_APP_TOKEN", "xapp-bench",
                "SLACK_API_URL", slack.apiUrl(REPLICA));
    }

    @Override
    public void awaitConnected() throws InterruptedException {
        slack.socketMode().awaitConnections(REPLICA, 1, Duration.ofSeconds(20));
    }

    @Override
    public synchronized void prepare(Answers answers, Acks acks, int n) {
        JsonObject[] built = new JsonObject[n];
        for (int i = 0; i < n; i++) {
            String key = answers.key(i);
            built[i] = SlackPayloads.toJson(SlackPayloads.slashCommand("C" + key, "U" + key, "bench" + i, InboundPath.verb(i),
                    slack.responseUrl(key), "trigger-" + key));
        }
        this.answers = answers;
        this.acks = acks;
        this.envelopes = new String[n];
        this.ackedUpTo = 0;
        this.callsSeen = slack.calls().size();
        this.payloads = built;
    }

    @Override
    public void send(int i) {
        JsonObject payload = payloads[i];
        payloads[i] = null;
        try {
            envelopes[i] = slack.socketMode().send("slash_commands", payload);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void refresh() {
        FakeSocketMode socket = slack.socketMode();
        String[] sent = envelopes;
        // acknowledgements come nearly in order: look from the first one still missing
        while (ackedUpTo < sent.length && sent[ackedUpTo] != null && acks.at(ackedUpTo) > 0) ackedUpTo++;
        for (int i = ackedUpTo; i < sent.length && sent[i] != null; i++) {
            if (acks.at(i) > 0) continue;
            FakeSocketMode.Ack ack = socket.ack(sent[i]);
            if (ack != null) acks.acknowledged(i, ack.atNanos(), String.valueOf(ack.body()).contains("is busy"));
        }
        List<FakeSlack.Call> calls = slack.calls();
        for (int k = callsSeen; k < calls.size(); k++) {
            FakeSlack.Call c = calls.get(k);
            switch (c.method()) {
                case "response_url" -> answers.record(c.param("id"), c.atNanos());
                case "chat.postMessage" -> {
                    String channel = c.param("channel");
                    if (channel != null && channel.length() > 1) answers.record(channel.substring(1), c.atNanos());
                }
                default -> { }
            }
        }
        callsSeen = calls.size();
    }

    @Override
    public void close() throws Exception {
        slack.close();
    }
}
