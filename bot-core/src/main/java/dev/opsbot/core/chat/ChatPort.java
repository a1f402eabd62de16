package dev.opsbot.core.chat;

import java.nio.file.Path;

/**
 * What the core asks of a chat platform. Calls may block while the platform is slow or rate
 * limited (adapters queue and retry, never drop); the core only calls them from its own threads.
 */
public interface ChatPort {

    /** The platform name used in {@link ChannelRef#platform()} (e.g. "slack", "discord", "console"). */
    String platform();

    ChatLimits limits();

    /** Posts a new message to a channel. */
    MessageRef post(ChannelRef channel, Message message);

    /** Replaces the content of a message posted earlier. */
    void update(MessageRef message, Message replacement);

    /** Posts a message in the thread under {@code parent} (where threads do not exist: just after it). */
    MessageRef reply(MessageRef parent, Message message);

    /** Shows a message only to the person behind {@code origin} (ephemeral where the platform has it). */
    void whisper(Origin origin, Message message);

    /** Attaches a file (the full log of a run) next to or under {@code parent}. */
    void attach(MessageRef parent, String fileName, Path file);

    /**
     * Whether a run's live output goes into a thread under the message that started it (the
     * confirmation) instead of a new message in the channel; the platform's settings decide.
     */
    default boolean runsInThreads() {
        return false;
    }
}
