package dev.opsbot.core.press;

import dev.opsbot.core.button.ButtonState;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.engine.SecretForms;
import dev.opsbot.core.store.AuditLog;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every press goes through here: the button must be one the bot made, in this channel, not
 * decided (an alert's buttons stay usable while the alert is open) and not expired; then the
 * handler of its kind answers it. Forms (modals) arrive the same way.
 */
public final class Presses {
    private final PendingButtons buttons;
    private final AuditLog audit;
    private final PressReplies replies;
    private final Map<Class<?>, PressHandler<?>> handlers;
    private final Map<Class<?>, FormHandler<?>> forms;

    private Presses(Builder b) {
        this.buttons = b.buttons;
        this.audit = b.audit;
        this.replies = b.replies;
        this.handlers = Map.copyOf(b.handlers);
        this.forms = Map.copyOf(b.forms);
        List<String> missing = Arrays.stream(Payload.class.getPermittedSubclasses())
                .filter(k -> !handlers.containsKey(k)).map(Class::getSimpleName).toList();
        if (!missing.isEmpty()) throw new IllegalStateException("no press handler for " + String.join(", ", missing));
    }

    public static Builder builder(PendingButtons buttons, AuditLog audit, PressReplies replies) {
        return new Builder(buttons, audit, replies);
    }

    /** A bot's presses: every kind of button the core offers, each with the one handler that answers it. */
    public static Presses everyKind(PendingButtons buttons, AuditLog audit, PressReplies replies, Confirmations confirmations,
                                    Approvals approvals, Recoveries recoveries, Answers answers, Invocations invocations,
                                    Acknowledgements acknowledgements, SecretForms secretForms) {
        return builder(buttons, audit, replies)
                .on(Payload.Confirm.class, confirmations)
                .on(Payload.Approval.class, approvals)
                .on(Payload.DenyReason.class, approvals.reasonPressed())
                .onForm(Payload.DenyReason.class, approvals::reasonGiven)
                .on(Payload.Answer.class, answers)
                .on(Payload.Invoke.class, invocations)
                .on(Payload.Acknowledge.class, acknowledgements)
                .on(Payload.Recover.class, recoveries)
                .on(Payload.SecretForm.class, p -> secretForms.press(p.origin(), p.state(), p.payload()))
                .onForm(Payload.SecretForm.class, (p, values) -> secretForms.submit(p.origin(), p.state(), p.payload(), values))
                .build();
    }

    /** A submitted form: the values by input id, for the button whose press opened it. */
    @FunctionalInterface
    public interface FormHandler<P extends Payload> {
        void submit(Press<P> press, Map<String, String> values);
    }

    public static final class Builder {
        private final PendingButtons buttons;
        private final AuditLog audit;
        private final PressReplies replies;
        private final Map<Class<?>, PressHandler<?>> handlers = new HashMap<>();
        private final Map<Class<?>, FormHandler<?>> forms = new HashMap<>();

        private Builder(PendingButtons buttons, AuditLog audit, PressReplies replies) {
            this.buttons = buttons;
            this.audit = audit;
            this.replies = replies;
        }

        public <P extends Payload> Builder on(Class<P> kind, PressHandler<P> handler) {
            handlers.put(kind, handler);
            return this;
        }

        public <P extends Payload> Builder onForm(Class<P> kind, FormHandler<P> handler) {
            forms.put(kind, handler);
            return this;
        }

        /** Fails when a kind of button has no handler: every button the bot offers can be answered. */
        public Presses build() {
            return new Presses(this);
        }
    }

    /** Whether a button or form token is one this bot handed out (several bots serve several environments). */
    public boolean owns(String token) {
        return buttons.find(token).isPresent();
    }

    public void press(Origin origin, String token, MessageRef message) {
        Optional<ButtonState> found = buttons.find(token);
        String who = origin.user().key();
        String place = origin.channel().toString();
        if (found.isEmpty()) {
            audit.append(who, place, "press", "unknown button", "refused");
            replies.whisper(origin, Message.of(Tone.WARNING, "This button is not valid",
                    "It does not belong to any request the bot knows. Type the command again."));
            return;
        }
        ButtonState state = found.get();
        String kind = state.payload().getClass().getSimpleName();
        if (!state.channel().equals(place)) {
            audit.append(who, place, "press", kind + " from another channel", "refused");
            replies.whisper(origin, Message.of(Tone.WARNING, "This button belongs to another channel", "Nothing was changed."));
            return;
        }
        // A group the expiry closed is an expired button, whichever of the two got to it first.
        if (state.decided() && !PendingButtons.EXPIRY.equals(state.decidedBy())) {
            audit.append(who, place, "press", kind, "refused: already " + state.decision());
            replies.alreadyDecided(origin, state);
            return;
        }
        if (state.expired(buttons.now())) {
            audit.append(who, place, "press", kind, "refused: expired");
            replies.whisper(origin, Message.of(Tone.WARNING, "This button has expired",
                    "It expired at " + PressReplies.CLOCK.format(state.expiresAt()) + ". Nothing was changed; type the command again."));
            return;
        }
        handle(handlers.get(state.payload().getClass()), new Press<>(origin, state, state.payload(), message));
    }

    public void submit(Origin origin, String token, Map<String, String> values) {
        Optional<ButtonState> found = buttons.find(token);
        FormHandler<?> form = found.map(s -> forms.get(s.payload().getClass())).orElse(null);
        if (form == null) {
            replies.whisper(origin, Message.of(Tone.WARNING, "This form is no longer expected", "Nothing was changed."));
            return;
        }
        submit(form, new Press<>(origin, found.get(), found.get().payload(), null), values);
    }

    @SuppressWarnings("unchecked")
    private static <P extends Payload> void handle(PressHandler<?> handler, Press<P> press) {
        ((PressHandler<P>) handler).handle(press);
    }

    @SuppressWarnings("unchecked")
    private static <P extends Payload> void submit(FormHandler<?> form, Press<P> press, Map<String, String> values) {
        ((FormHandler<P>) form).submit(press, values);
    }
}
