package dev.opsbot.core.chat;

import java.util.Objects;

/** A message the bot posted, as the platform identifies it (Slack ts, Discord snowflake, console number). */
public record MessageRef(ChannelRef channel, String id) {
    public MessageRef {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(id, "id");
    }
}
