package dev.opsbot.core.press;

import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;

/**
 * A button that types a command as the person who pressed it ("Roll back to sha-1a2b3c4", an
 * alert's "Show logs"): the command then goes through every check a typed one does. An alert's
 * buttons stay on it while it is open; any other is used once.
 */
public final class Invocations implements PressHandler<Payload.Invoke> {

    /** Where typed commands are handled. */
    @FunctionalInterface
    public interface Commands {
        void handle(Origin origin, String text);
    }

    private final PendingButtons buttons;
    private final Commands commands;
    private final PressReplies replies;

    public Invocations(PendingButtons buttons, Commands commands, PressReplies replies) {
        this.buttons = buttons;
        this.commands = commands;
        this.replies = replies;
    }

    @Override
    public void handle(Press<Payload.Invoke> press) {
        String command = press.payload().command();
        if (press.state().fromAlert()) {
            replies.accepted(press, "/ops " + command + " (alert)", "accepted");
            commands.handle(press.origin(), command);
            return;
        }
        if (!buttons.decide(press.state().token(), press.origin().user(), Decision.PRESS)) {
            replies.alreadyDecided(press);
            return;
        }
        replies.accepted(press, "/ops " + command, "accepted");
        replies.port(press).update(press.message(), Message.of(Tone.INFO, "Requested: /ops " + command,
                "Pressed by " + press.origin().user().name() + "."));
        commands.handle(press.origin(), command);
    }
}
