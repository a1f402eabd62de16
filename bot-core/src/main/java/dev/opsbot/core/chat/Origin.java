package dev.opsbot.core.chat;

import java.util.Objects;

/**
 * Who did something, where. {@code interactionId} is the adapter's handle for answering this
 * one interaction privately (a Slack response URL key, a Discord interaction id); it may be null.
 */
public record Origin(ChannelRef channel, UserRef user, String interactionId) {
    public Origin {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(user, "user");
    }

    public Origin(ChannelRef channel, UserRef user) {
        this(channel, user, null);
    }
}
