package dev.opsbot.core.press;

import dev.opsbot.core.button.ButtonState;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.store.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes requests nobody answered in time: their message loses its buttons and says it expired.
 * Questions of running steps and forms close with their run, and alerts keep their buttons.
 */
public final class ButtonExpiry implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ButtonExpiry.class);

    private final PendingButtons buttons;
    private final ChatPorts ports;
    private final AuditLog audit;

    public ButtonExpiry(PendingButtons buttons, ChatPorts ports, AuditLog audit) {
        this.buttons = buttons;
        this.ports = ports;
        this.audit = audit;
    }

    @Override
    public void run() {
        try {
            for (ButtonState state : buttons.expireDue()) close(state);
        } catch (RuntimeException e) {
            LOG.warn("expiring buttons failed: {}", e.getMessage());
        }
    }

    private void close(ButtonState state) {
        String what = describe(state.payload());
        if (state.fromAlert() || state.messageId() == null || what == null) return;
        ChannelRef channel = ChannelRef.parse(state.channel());
        if (!ports.has(channel.platform())) return;
        ports.of(channel).update(new MessageRef(channel, state.messageId()), Message.of(Tone.INFO, "Expired: " + what,
                "Nobody pressed a button in time; nothing was changed. Type the command again if it is still wanted."));
        audit.append(PendingButtons.EXPIRY, state.channel(), "expire", what, "expired");
    }

    /** What expired, for the message it was on; null for buttons whose message is closed by someone else. */
    private static String describe(Payload payload) {
        if (payload instanceof Payload.Confirm c) return c.ticket().invocation();
        if (payload instanceof Payload.Approval a) return a.ticket().invocation();
        if (payload instanceof Payload.Recover r) return "recovery of run #" + r.runId();
        if (payload instanceof Payload.Invoke i) return "/ops " + i.command();
        return null;
    }
}
