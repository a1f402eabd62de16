package dev.opsbot.core.chat;

/** A chat platform connection: the port the core talks through, started with the core's inbox. */
public interface ChatAdapter extends ChatPort, AutoCloseable {

    /** Connects and starts delivering events to {@code inbox}; returns once connected. */
    void start(ChatInbox inbox) throws Exception;

    @Override
    void close();
}
