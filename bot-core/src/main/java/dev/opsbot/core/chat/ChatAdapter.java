package dev.opsbot.core.chat;

import java.util.Optional;

/** A chat platform connection: the port the core talks through, started with the core's inbox. */
public interface ChatAdapter extends ChatPort, AutoCloseable {

    /** Connects and starts delivering events to {@code inbox}; returns once connected. */
    void start(ChatInbox inbox) throws Exception;

    /**
     * Why the adapter cannot take events now (not started, connection lost, endpoint down), or
     * empty when it can. Answers within a few seconds; readiness probes ask it.
     */
    default Optional<String> notReady() {
        return Optional.empty();
    }

    @Override
    void close();
}
