package dev.opsbot.core.chat;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatPort;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connected chat platforms, found by the platform a channel belongs to. */
public final class ChatPorts {
    private static final Logger LOG = LoggerFactory.getLogger(ChatPorts.class);
    private final Map<String, ChatPort> byPlatform = new ConcurrentHashMap<>();

    public void add(ChatPort port) {
        byPlatform.put(port.platform(), port);
    }

    public ChatPort of(ChannelRef channel) {
        ChatPort port = byPlatform.get(channel.platform());
        if (port == null) throw new IllegalStateException("no adapter connected for " + channel.platform());
        return port;
    }

    /** Answers one person privately; a platform that fails to deliver is logged, never thrown at the caller. */
    public void whisper(Origin origin, Message message) {
        try {
            of(origin.channel()).whisper(origin, message);
        } catch (RuntimeException e) {
            LOG.warn("cannot answer {} privately: {}", origin.user().key(), e.getMessage());
        }
    }

    public boolean has(String platform) {
        return byPlatform.containsKey(platform);
    }
}
