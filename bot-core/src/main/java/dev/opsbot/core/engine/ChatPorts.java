package dev.opsbot.core.engine;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatPort;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The connected chat platforms, found by the platform a channel belongs to. */
public final class ChatPorts {
    private final Map<String, ChatPort> byPlatform = new ConcurrentHashMap<>();

    public void add(ChatPort port) {
        byPlatform.put(port.platform(), port);
    }

    public ChatPort of(ChannelRef channel) {
        ChatPort port = byPlatform.get(channel.platform());
        if (port == null) throw new IllegalStateException("no adapter connected for " + channel.platform());
        return port;
    }

    public boolean has(String platform) {
        return byPlatform.containsKey(platform);
    }
}
