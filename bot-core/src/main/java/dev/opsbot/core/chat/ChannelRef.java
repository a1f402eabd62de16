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

    /** Reads the {@link #toString()} form back: {@code platform:id} (as stored and configured). */
    public static ChannelRef parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("a channel is written platform:id (e.g. slack:C0123), not '" + text + "'");
        }
        return of(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return platform + ":" + id;
    }
}
