package dev.opsbot.bench;

import java.util.Map;

/**
 * One way commands reach the bot: the fakes of the platform it needs, how one command is sent,
 * and how its acknowledgement ({@link Acks}) and its answer in the chat ({@link Answers}) are
 * seen. The commands of one load are built before it starts, so building costs nothing while
 * it runs; {@link #send} returns at once.
 */
interface InboundPath extends AutoCloseable {
    /** The short name on the command line ({@code --paths}) and in figure names. */
    String id();

    /** For people: "Slack HTTP mode". */
    String label();

    /** The variables that point the bot at this path's fakes. */
    Map<String, String> environment();

    /** Waits until the bot is connected to the fake, after it said it is ready. */
    default void awaitConnected() throws InterruptedException {
    }

    /**
     * Builds the {@code n} commands of one load, alternately {@code /ops help} and
     * {@code /ops ps}, each from another person in another channel (so no rate limit refuses
     * any), keyed by {@link Answers#key}.
     */
    void prepare(Answers answers, Acks acks, int n) throws Exception;

    /** Sends command i of the prepared load. */
    void send(int i);

    /**
     * Brings the load's {@link Acks} and {@link Answers} up to date with what the fakes saw, for
     * fakes that keep what they saw instead of reporting it as it arrives (called while waiting).
     */
    default void refresh() {
    }

    @Override
    void close() throws Exception;

    static String verb(int i) {
        return i % 2 == 0 ? "help" : "ps";
    }
}
