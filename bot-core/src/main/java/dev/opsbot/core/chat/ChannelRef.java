package dev.opsbot.core.chat;

import java.util.Objects;

/** A place messages go to: one channel (or direct conversation) on one platform. */
public record ChannelRef(String platform, String id, boolean direct) {
    public ChannelRef {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(id, "id");
    }

    public static ChannelRef of(String platform, String id) {
        return new ChannelRef(platform, id, false);
    }

    @Override
    public String toString() {
        return platform + ":" + id;
    }
}
