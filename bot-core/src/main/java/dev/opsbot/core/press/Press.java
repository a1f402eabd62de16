package dev.opsbot.core.press;

import dev.opsbot.core.button.ButtonState;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;

/** One press, checked against its button's state: who pressed where, the state, what it does, and the message it is on. */
public record Press<P extends Payload>(Origin origin, ButtonState state, P payload, MessageRef message) {

    /** Whether the person who pressed is the one the buttons were offered to. */
    public boolean byRequester() {
        return origin.user().key().equals(state.requestedBy());
    }

    /** The audit trail's name for where it happened. */
    public String place() {
        return origin.channel().toString();
    }
}
