package dev.opsbot.core.press;

import dev.opsbot.core.button.ButtonState;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.store.AuditLog;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How presses are answered and audited: refusals privately, "already decided" in one wording. */
public final class PressReplies {
    static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ChatPorts ports;
    private final AuditLog audit;
    private final PendingButtons buttons;

    public PressReplies(ChatPorts ports, AuditLog audit, PendingButtons buttons) {
        this.ports = ports;
        this.audit = audit;
        this.buttons = buttons;
    }

    /** The port of the channel the press came from. */
    ChatPort port(Press<?> press) {
        return ports.of(press.origin().channel());
    }

    /** Audits a press the bot acted on. */
    void accepted(Press<?> press, String what, String outcome) {
        audit.append(press.origin().user().key(), press.place(), "press", what, outcome);
    }

    /** Audits a refused press and tells the presser why. */
    void refuse(Press<?> press, String what, String outcome, Message answer) {
        audit.append(press.origin().user().key(), press.place(), "press", what, outcome);
        whisper(press.origin(), answer);
    }

    void whisper(Origin origin, Message answer) {
        ports.whisper(origin, answer);
    }

    /** Someone decided the press's buttons first (or they expired meanwhile): says who and when, as stored now. */
    void alreadyDecided(Press<?> press) {
        alreadyDecided(press.origin(), buttons.find(press.state().token()).orElse(press.state()));
    }

    void alreadyDecided(Origin origin, ButtonState state) {
        whisper(origin, Message.of(Tone.INFO, "Already decided", decidedText(state) + " Nothing was changed."));
    }

    private static String decidedText(ButtonState state) {
        if (!state.decided()) return "Someone pressed a button of this message first.";
        boolean byBot = state.decidedBy().equals(PendingButtons.EXPIRY) || state.decidedBy().equals(PendingButtons.ALERTS.key());
        return "This was " + state.decision() + (byBot ? "" : " by " + state.decidedBy().replaceFirst("^[^:]*:", ""))
                + (state.decidedAt() == null ? "" : " at " + CLOCK.format(state.decidedAt())) + ".";
    }
}
