package dev.opsbot.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** Slack's HTTP mode: signed slash commands POSTed to the bot's endpoint; the HTTP response is the acknowledgement. */
final class SlackHttpPath implements InboundPath {
    private final FakeSlackApi slack;
    private final String secret = UUID.randomUUID().toString().replace("-", "");
    private final int port;
    private final HttpClient client = SlackRequests.client();
    private volatile HttpRequest[] requests = new HttpRequest[0];
    private volatile Acks acks;

    SlackHttpPath(Path dir) throws Exception {
        this.slack = new FakeSlackApi(dir.resolve("uploads"));
        this.port = AckScenario.freePort();
    }

    @Override
    public String id() {
        return "http";
    }

    @Override
    public String label() {
        return "Slack HTTP mode";
    }

    @Override
    public Map<String, String> environment() {
        return BotEnv.slack(slack, secret, port);
    }

    @Override
    public void prepare(Answers answers, Acks acks, int n) {
        slack.onCall(call -> answers.record(FakeSlackApi.commandKey(call), call.atNanos()));
        SlackRequests signer = new SlackRequests(port, secret);
        HttpRequest[] built = new HttpRequest[n];
        for (int i = 0; i < n; i++) {
            String key = answers.key(i);
            built[i] = signer.signed(SlackRequests.slashCommand("C" + key, "U" + key, "bench" + i, InboundPath.verb(i),
                    slack.responseUrl(key)));
        }
        this.acks = acks;
        this.requests = built;
    }

    @Override
    public void send(int i) {
        Acks a = acks;
        HttpRequest request = requests[i];
        requests[i] = null;
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            long now = System.nanoTime();
            if (error != null || response.statusCode() != 200) {
                a.refused(i, now);
            } else {
                a.acknowledged(i, now, response.body().contains("is busy"));
            }
        });
    }

    @Override
    public void close() {
        slack.close();
    }
}
