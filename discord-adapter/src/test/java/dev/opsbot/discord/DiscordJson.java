package dev.opsbot.discord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import net.dv8tion.jda.api.Permission;

/** Discord's objects as its API and gateway send them (users, roles, channels, the server, messages, threads), for the fake. */
final class DiscordJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DiscordJson() {
    }

    static ObjectNode user(String id, String name, boolean bot) {
        ObjectNode u = JSON.createObjectNode().put("id", id).put("username", name).put("discriminator", "0")
                .put("global_name", name).put("bot", bot).put("flags", 0).put("public_flags", 0);
        u.putNull("avatar");
        return u;
    }

    private static ObjectNode role(String id, String name, int position, long permissions) {
        ObjectNode role = JSON.createObjectNode().put("id", id).put("name", name).put("position", position)
                .put("permissions", Long.toString(permissions)).put("managed", false).put("mentionable", false)
                .put("hoist", false).put("flags", 0).put("color", 0);
        role.putObject("colors").put("primary_color", 0).putNull("secondary_color").putNull("tertiary_color");
        return role;
    }

    static ObjectNode textChannel() {
        ObjectNode channel = JSON.createObjectNode().put("id", FakeDiscord.CHANNEL_ID).put("type", 0).put("guild_id", FakeDiscord.GUILD_ID)
                .put("name", "ops").put("position", 0).put("nsfw", false).put("rate_limit_per_user", 0)
                .put("flags", 0);
        channel.putArray("permission_overwrites");
        return channel;
    }

    static ObjectNode directChannel(FakeDiscord.Person person) {
        ObjectNode channel = JSON.createObjectNode().put("id", FakeDiscord.DM_CHANNEL_ID).put("type", 1).put("flags", 0);
        channel.putArray("recipients").add(user(person.id(), person.name(), false));
        return channel;
    }

    /** The fake's one server as GUILD_CREATE carries it: its roles, its text channel and the bot as a member. */
    static ObjectNode guild() {
        ObjectNode g = JSON.createObjectNode().put("id", FakeDiscord.GUILD_ID).put("name", "Operations").put("owner_id", FakeDiscord.OWNER_ID)
                .put("afk_timeout", 300).put("member_count", 3).put("large", false).put("unavailable", false)
                .put("preferred_locale", "en-US").put("verification_level", 0).put("mfa_level", 0)
                .put("nsfw_level", 0).put("premium_tier", 0).put("default_message_notifications", 0)
                .put("explicit_content_filter", 0).put("system_channel_flags", 0);
        g.putNull("icon");
        ArrayNode roles = g.putArray("roles");
        // @everyone may do nothing: the bot works only through the permissions it is invited with.
        roles.add(role(FakeDiscord.GUILD_ID, "@everyone", 0, 0));
        roles.add(role(FakeDiscord.BOT_ROLE_ID, "opsbot", 1, Permission.getRaw(DiscordAdapter.PERMISSIONS)));
        roles.add(role(FakeDiscord.DEPLOYER_ROLE_ID, "deployers", 2, 0));
        g.putArray("channels").add(textChannel());
        g.putArray("threads");
        ObjectNode bot = g.putArray("members").addObject();
        bot.set("user", user(FakeDiscord.BOT_ID, "opsbot", true));
        bot.putArray("roles").add(FakeDiscord.BOT_ROLE_ID);
        bot.put("joined_at", "2024-01-01T00:00:00.000000+00:00").put("deaf", false).put("mute", false).put("flags", 0);
        for (String empty : List.of("emojis", "stickers", "voice_states", "presences", "guild_scheduled_events",
                "features", "stage_instances", "soundboard_sounds")) {
            g.putArray(empty);
        }
        return g;
    }

    /** A message as Discord sends it, by the bot, with {@code base}'s fields and the required empty ones. */
    static ObjectNode message(String id, String channelId, ObjectNode base) {
        ObjectNode m = base.put("id", id).put("channel_id", channelId).put("type", 0).put("content", "")
                .put("timestamp", Instant.now().toString()).put("tts", false).put("mention_everyone", false)
                .put("pinned", false).put("flags", 0);
        m.set("author", user(FakeDiscord.BOT_ID, "opsbot", true));
        m.putArray("embeds");
        m.putArray("components");
        m.putArray("attachments");
        m.putArray("mentions");
        m.putArray("mention_roles");
        return m;
    }

    /** The thread Discord starts from a message (its id is the message's). */
    static ObjectNode thread(String messageId, String parentId, String name) {
        ObjectNode thread = JSON.createObjectNode().put("id", messageId).put("type", 11).put("guild_id", FakeDiscord.GUILD_ID)
                .put("parent_id", parentId).put("name", name).put("owner_id", FakeDiscord.BOT_ID).put("message_count", 0)
                .put("member_count", 1).put("rate_limit_per_user", 0).put("flags", 0).put("total_message_sent", 0);
        thread.putObject("thread_metadata").put("archived", false).put("auto_archive_duration", 1440)
                .put("archive_timestamp", Instant.now().toString()).put("locked", false);
        thread.putArray("applied_tags");
        return thread;
    }
}
