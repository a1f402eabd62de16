package dev.opsbot.core.chat;

import java.util.Map;
import java.util.Optional;

/**
 * What adapters hand to the core. Every method returns at once: the core queues the work on
 * its own executors, so an adapter may call these from a platform's event thread after it has
 * acknowledged the interaction.
 */
public interface ChatInbox {

    /** A typed command; {@code text} is everything after "/ops". */
    void onCommand(Origin origin, String text);

    /**
     * What to answer instead of handing this command on, when the core turns it away unheard:
     * more commands wait where it would go than the core will get to soon (judged per environment:
     * one stalled environment does not make the others busy), or the bot is stopping. An adapter
     * that can answer in its acknowledgement asks this first and, when there is an answer, gives
     * it there and does not call {@link #onCommand}; the core counts it as answered. Otherwise the
     * core refuses the command the same way, privately. Returns at once, like every method here.
     */
    default Optional<String> turnedAway(Origin origin, String text) {
        return Optional.empty();
    }

    /** What a person is told when their command arrives while too many wait. */
    String BUSY = "opsbot is busy with many commands at once and did not run yours. Try again in a minute.";

    /** What a person is told when their command, press or form arrives while the bot is stopping. */
    String RESTARTING = "opsbot is restarting, try again in a moment.";

    /** A button press; {@code token} is the button's opaque token as it came back. */
    void onPress(Origin origin, String token, MessageRef message);

    /** A submitted modal; values by input id. */
    void onModalSubmit(Origin origin, String token, Map<String, String> values);
}
