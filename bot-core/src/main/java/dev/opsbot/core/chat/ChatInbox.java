package dev.opsbot.core.chat;

import java.util.Map;

/**
 * What adapters hand to the core. Every method returns at once: the core queues the work on
 * its own executors, so an adapter may call these from a platform's event thread after it has
 * acknowledged the interaction.
 */
public interface ChatInbox {

    /** A typed command; {@code text} is everything after "/ops". */
    void onCommand(Origin origin, String text);

    /**
     * Whether more commands wait where this one would go than the core will get to soon (judged
     * per environment: one stalled environment does not make the others busy). An adapter that
     * can answer in its acknowledgement then says at once that the bot is busy instead of handing
     * the command on; the core refuses it the same way otherwise. Button presses are always
     * taken. Returns at once, like every method here.
     */
    default boolean overloaded(Origin origin, String text) {
        return false;
    }

    /** What a person is told when their command arrives while the core is {@link #overloaded}. */
    String BUSY = "opsbot is busy with many commands at once and did not run yours. Try again in a minute.";

    /** A button press; {@code token} is the button's opaque token as it came back. */
    void onPress(Origin origin, String token, MessageRef message);

    /** A submitted modal; values by input id. */
    void onModalSubmit(Origin origin, String token, Map<String, String> values);
}
