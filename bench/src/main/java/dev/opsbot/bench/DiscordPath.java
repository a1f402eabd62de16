package dev.opsbot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Discord: {@code /ops} interactions dispatched over the fake gateway, each by another member in
 * another of the server's text channels. The interaction callback (the bot's private receipt) is
 * the acknowledgement; the answer is the first message after it: the original response edited, a
 * follow-up, or a message in the command's channel.
 */
final class DiscordPath implements InboundPath {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECEIPT = "Received: `/ops";
    /** Members are numbered from here, a new block for each load so no one reaches the rate limit. */
    private static final long FIRST_MEMBER = 1400000000000000000L;

    private final FakeDiscordApi discord;
    private final AtomicLong loads = new AtomicLong();
    private volatile ObjectNode[] interactions = new ObjectNode[0];
    /** The command last sent in each channel, to tie a message in a channel to its command. */
    private volatile AtomicLongArray lastInChannel = new AtomicLongArray(FakeDiscordApi.CHANNELS);

    DiscordPath() throws Exception {
        this.discord = new FakeDiscordApi();
    }

    @Override
    public String id() {
        return "discord";
    }

    @Override
    public String label() {
        return "Discord interactions";
    }

    @Override
    public Map<String, String> environment() {
        return discord.environment();
    }

    @Override
    public void awaitConnected() throws InterruptedException {
        discord.awaitIdentified(20_000);
    }

    @Override
    public void prepare(Answers answers, Acks acks, int n) {
        long members = FIRST_MEMBER + loads.incrementAndGet() * 1_000_000L;
        ObjectNode[] built = new ObjectNode[n];
        for (int i = 0; i < n; i++) {
            String key = answers.key(i);
            built[i] = interaction("tok" + key, Long.toString(members + i), i % FakeDiscordApi.CHANNELS, InboundPath.verb(i));
        }
        AtomicLongArray channels = new AtomicLongArray(FakeDiscordApi.CHANNELS);
        for (int c = 0; c < channels.length(); c++) channels.set(c, -1);
        discord.onCall(call -> {
            switch (call.kind()) {
                case FakeDiscordApi.Call.CALLBACK -> acks.acknowledged(answers.index(token(call)), call.atNanos(), false);
                case FakeDiscordApi.Call.ORIGINAL, FakeDiscordApi.Call.FOLLOWUP -> {
                    String text = FakeDiscordApi.text(call.body());
                    if (text.startsWith(RECEIPT)) return;
                    int i = answers.index(token(call));
                    // the bot turns a command away privately, after deferring it
                    if (text.contains("is busy")) acks.turnedAway(i);
                    answers.record(i, call.atNanos());
                }
                case FakeDiscordApi.Call.CHANNEL_MESSAGE -> {
                    int c = (int) (Long.parseLong(call.target()) - FakeDiscordApi.FIRST_CHANNEL);
                    if (c >= 0 && c < channels.length()) answers.record((int) channels.get(c), call.atNanos());
                }
                default -> { }
            }
        });
        this.lastInChannel = channels;
        this.interactions = built;
    }

    private static String token(FakeDiscordApi.Call call) {
        return call.target().startsWith("tok") ? call.target().substring(3) : call.target();
    }

    private ObjectNode interaction(String token, String member, int channel, String verb) {
        String channelId = Long.toString(FakeDiscordApi.FIRST_CHANNEL + channel);
        ObjectNode d = JSON.createObjectNode().put("id", "0").put("application_id", FakeDiscordApi.BOT_ID).put("type", 2)
                .put("version", 1).put("token", token).put("locale", "en-US").put("app_permissions", "8")
                .put("guild_id", FakeDiscordApi.GUILD_ID).put("channel_id", channelId).put("context", 0).put("guild_locale", "en-US");
        d.putObject("guild").put("id", FakeDiscordApi.GUILD_ID).put("locale", "en-US").putArray("features");
        d.set("channel", FakeDiscordApi.textChannel(channelId, channel));
        d.putObject("authorizing_integration_owners").put("0", FakeDiscordApi.GUILD_ID);
        ObjectNode m = d.putObject("member");
        m.set("user", FakeDiscordApi.user(member, "bench" + member.substring(member.length() - 6), false));
        m.putArray("roles");
        m.put("joined_at", "2024-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false)
                .put("flags", 0).put("pending", false).put("permissions", "1024");
        d.putArray("entitlements");
        ObjectNode data = d.putObject("data").put("id", "1300000000000000900").put("name", "ops").put("type", 1)
                .put("guild_id", FakeDiscordApi.GUILD_ID);
        data.putArray("options").addObject().put("name", verb).put("type", 1).putArray("options");
        return d;
    }

    @Override
    public void send(int i) {
        ObjectNode d = interactions[i];
        interactions[i] = null;
        // dated now: JDA refuses to answer interactions it thinks are old
        d.put("id", discord.snowflake());
        JsonNode channel = d.get("channel_id");
        lastInChannel.set((int) (Long.parseLong(channel.asText()) - FakeDiscordApi.FIRST_CHANNEL), i);
        discord.dispatch("INTERACTION_CREATE", d);
    }

    @Override
    public void close() throws Exception {
        discord.close();
    }
}
