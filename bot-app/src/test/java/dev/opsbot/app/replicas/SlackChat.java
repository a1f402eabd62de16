package dev.opsbot.app.replicas;

import com.google.gson.JsonObject;
import dev.opsbot.slack.FakeSlack;
import dev.opsbot.slack.SlackButtons;
import dev.opsbot.slack.SlackPayloads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * People in Slack channels, through the fake's Socket Mode: typing {@code /ops …} and pressing
 * buttons of the messages the replicas posted. Slack chooses the replica that receives each
 * envelope, unless a test names one ({@code …On}).
 */
final class SlackChat {
    static final String OPS = "C0OPS";
    static final String ALERTS = "C0ALERTS";

    record Person(String id, String name) {
        String key() {
            return "slack:" + id;
        }
    }

    static final Person ALICE = new Person("U0ALICE", "alice");
    static final Person BOB = new Person("U0BOB", "bob");

    /** A command typed: its envelope and the key of its response URL. */
    record Typed(String envelopeId, String responseKey) { }

    private final FakeSlack slack;
    private final AtomicInteger keys = new AtomicInteger();

    SlackChat(FakeSlack slack) {
        this.slack = slack;
    }

    /** {@code who} types {@code /ops text} in {@code channel}; Slack picks the replica. */
    Typed type(Person who, String channel, String text) throws InterruptedException {
        String key = "cmd-" + keys.incrementAndGet();
        return new Typed(slack.socketMode().send("slash_commands", command(who, channel, text, key)), key);
    }

    /** The same, delivered to replica {@code replica}'s connection. */
    Typed typeOn(String replica, Person who, String channel, String text) throws InterruptedException {
        String key = "cmd-" + keys.incrementAndGet();
        return new Typed(slack.socketMode().sendTo(replica, "slash_commands", command(who, channel, text, key)), key);
    }

    private JsonObject command(Person who, String channel, String text, String key) {
        return SlackPayloads.toJson(SlackPayloads.slashCommand(channel, who.id(), who.name(), text, slack.responseUrl(key),
                "trigger-" + key));
    }

    /** {@code who} presses the button whose label starts with {@code label} on {@code message}; Slack picks the replica. */
    String press(Person who, FakeSlack.Call message, String label) throws InterruptedException {
        return slack.socketMode().send("interactive", pressPayload(who, message, label));
    }

    String pressOn(String replica, Person who, FakeSlack.Call message, String label) throws InterruptedException {
        return slack.socketMode().sendTo(replica, "interactive", pressPayload(who, message, label));
    }

    /** The same press reaching every replica at the same instant. */
    String pressOnEach(Person who, FakeSlack.Call message, String label) throws InterruptedException {
        return slack.socketMode().sendToEach("interactive", pressPayload(who, message, label));
    }

    private JsonObject pressPayload(Person who, FakeSlack.Call message, String label) {
        return SlackButtons.press(message, label, who.id(), who.name(), slack.responseUrl("press-" + keys.incrementAndGet()));
    }

    // ------------------------------------------------------------ what the replicas said

    /** Whether a message call (posted or updated) in {@code channel} shows {@code text}. */
    static Predicate<FakeSlack.Call> shows(String method, String channel, String text) {
        return c -> c.method().equals(method) && c.status() == 200 && channel.equals(c.param("channel"))
                && (c.visibleText().contains(text) || String.valueOf(c.param("text")).contains(text));
    }

    /** Waits for the first message posted in {@code channel} showing {@code text}. */
    FakeSlack.Call awaitPost(String channel, String text, Duration timeout) throws InterruptedException {
        return slack.awaitCall(shows("chat.postMessage", channel, text), 0, timeout, "a post in " + channel + " showing '" + text + "'");
    }

    /** Waits for a post or update in {@code channel} showing {@code text}. */
    FakeSlack.Call awaitShown(String channel, String text, Duration timeout) throws InterruptedException {
        Predicate<FakeSlack.Call> either = shows("chat.postMessage", channel, text).or(shows("chat.update", channel, text));
        return slack.awaitCall(either, 0, timeout, "a message in " + channel + " showing '" + text + "'");
    }

    /** Every message posted in {@code channel} showing {@code text}. */
    List<FakeSlack.Call> posts(String channel, String text) {
        return slack.calls().stream().filter(shows("chat.postMessage", channel, text)).toList();
    }

    /** Every post or update in {@code channel} showing {@code text}. */
    List<FakeSlack.Call> shown(String channel, String text) {
        Predicate<FakeSlack.Call> either = shows("chat.postMessage", channel, text).or(shows("chat.update", channel, text));
        return slack.calls().stream().filter(either).toList();
    }

    /** Whether the command got its answer: through its response URL (where the bot answers privately). */
    boolean answered(Typed typed) {
        return slack.calls("response_url").stream().anyMatch(c -> typed.responseKey().equals(c.param("id")));
    }

    /** The answers through a command's response URL, in order. */
    List<FakeSlack.Call> answers(Typed typed) {
        return slack.calls("response_url").stream().filter(c -> typed.responseKey().equals(c.param("id"))).toList();
    }
}
