package dev.opsbot.core.press;

import dev.opsbot.core.button.Payload;

/** Answers the presses of one kind of button. */
@FunctionalInterface
public interface PressHandler<P extends Payload> {
    void handle(Press<P> press);
}
