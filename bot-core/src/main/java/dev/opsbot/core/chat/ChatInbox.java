package dev.opsbot.core.chat;

/**
 * What adapters hand to the core. Every method returns at once: the core queues the work on
 * its own executors, so an adapter may call these from a platform's event thread after it has
 * acknowledged the interaction.
 */
public interface ChatInbox {

    /** A typed command; {@code text} is everything after "/ops". */
    void onCommand(Origin origin, String text);

    /** A button press; {@code token} is the button's opaque token as it came back. */
    void onPress(Origin origin, String token, MessageRef message);

    /** A submitted modal; values by input id. */
    void onModalSubmit(Origin origin, String token, java.util.Map<String, String> values);
}
