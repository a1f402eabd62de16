package dev.opsbot.core.engine;

import dev.opsbot.core.button.ButtonState;
import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.secrets.SealedBox;
import dev.opsbot.core.secrets.SecretGenerator;
import dev.opsbot.core.store.AuditLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Secret values a run needs from a person (an API key another service issued): the run posts
 * a button only the requester may press; the press opens a private form (a modal); the
 * submitted value goes straight to the waiting run. The value is never posted, logged or
 * audited: only its fingerprint is. A form submitted to another replica than the one running
 * the run reaches it through the database sealed to a key only the waiting run holds
 * ({@link SealedBox}), never in clear.
 */
public final class SecretForms {
    static final String INPUT = "value";
    private static final int MAX_VALUE = 4096;

    private final PendingButtons buttons;
    private final ChatPorts ports;
    private final AuditLog audit;
    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();

    SecretForms(PendingButtons buttons, ChatPorts ports, AuditLog audit) {
        this.buttons = buttons;
        this.ports = ports;
        this.audit = audit;
    }

    /** Asks and waits; empty when the platform has no private forms. */
    Optional<String> ask(RunRequest request, long runId, String variable, Duration wait, Consumer<CompletableFuture<?>> onWait)
            throws InterruptedException, TimeoutException {
        Origin origin = request.origin();
        ChatPort port = ports.of(origin.channel());
        if (!(port instanceof ModalPort)) return Optional.empty();
        PendingButtons.Offer offer = buttons.offer(List.of(new PendingButtons.Choice(
                "Enter the new " + variable, Button.Style.PRIMARY, new Payload.SecretForm(runId, variable))), origin.user(), origin.channel(), wait);
        SealedBox box = SealedBox.create();
        buttons.expectSealed(offer.groupId(), box.publicKey());
        CompletableFuture<String> answer = new CompletableFuture<>();
        waiting.put(offer.groupId(), answer);
        onWait.accept(answer);
        Message asking = Message.builder(Tone.WARNING, "Run #" + runId + " needs the new value of " + variable)
                .line(origin.user().name() + ": press the button and paste the value into the private form, within "
                        + Durations.human(wait) + ". Never paste a secret into the channel.")
                .build().withButtons(offer.buttons());
        MessageRef asked = port.post(origin.channel(), asking);
        buttons.posted(offer, asked);
        try {
            String value = received(answer, box, offer.groupId(), System.nanoTime() + wait.toNanos());
            port.update(asked, asking.withoutButtons().withCode("Received: fingerprint " + SecretGenerator.fingerprint(value)));
            return Optional.of(value);
        } catch (TimeoutException e) {
            port.update(asked, asking.withoutButtons().withCode("No value in time; nothing was changed."));
            throw e;
        } catch (CancellationException e) {
            port.update(asked, asking.withoutButtons().withCode("Run cancelled."));
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the form failed", e.getCause());
        } finally {
            waiting.remove(offer.groupId());
            forgetSealed(offer.groupId());
        }
    }

    /** The value submitted here, or opened from the one another replica sealed to this form's key. */
    private String received(CompletableFuture<String> answer, SealedBox box, String groupId, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        return AnswerWait.await(answer, deadline, () -> buttons.takeSealed(groupId).map(sealed -> box.open(sealed, groupId)));
    }

    private void forgetSealed(String groupId) {
        try {
            buttons.stopExpecting(groupId);
        } catch (RuntimeException e) {
            // The key alone is public, and a value sealed to it can be opened by nobody once this run is done.
        }
    }

    /** A press of the form's button: opens the form for the requester (the press is the fresh interaction it needs). */
    public void press(Origin origin, ButtonState action, Payload.SecretForm form) {
        String variable = form.variable();
        String place = origin.channel().toString();
        ChatPort port = ports.of(origin.channel());
        if (!origin.user().key().equals(action.requestedBy())) {
            audit.append(origin.user().key(), place, "press", "secret form for " + variable, "refused: not the requester");
            port.whisper(origin, Message.of(Tone.WARNING, "Only the person who started the run can enter " + variable, "Nothing was changed."));
            return;
        }
        if (!(port instanceof ModalPort modals)) {
            port.whisper(origin, Message.of(Tone.WARNING, "This platform has no private forms", "Nothing was changed."));
            return;
        }
        audit.append(origin.user().key(), place, "press", "secret form for " + variable, "opened");
        modals.openModal(origin, new ModalPort.Modal(action.token(), "New value of " + variable,
                List.of(new ModalPort.Input(INPUT, variable, true))));
    }

    /** A submitted form: hands the value to the waiting run. */
    public void submit(Origin origin, ButtonState action, Payload.SecretForm form, Map<String, String> values) {
        String variable = form.variable();
        String place = origin.channel().toString();
        ChatPort port = ports.of(origin.channel());
        if (!origin.user().key().equals(action.requestedBy()) || action.decided() || action.expired(buttons.now())) {
            audit.append(origin.user().key(), place, "form", "secret value for " + variable, "refused: not expected");
            port.whisper(origin, Message.of(Tone.WARNING, "This form is no longer expected", "Nothing was changed."));
            return;
        }
        String value = values.getOrDefault(INPUT, "").strip();
        if (value.isEmpty() || value.length() > MAX_VALUE || value.chars().anyMatch(Character::isISOControl)) {
            audit.append(origin.user().key(), place, "form", "secret value for " + variable, "refused: not a single-line value");
            port.whisper(origin, Message.of(Tone.WARNING, "That is not a usable value for " + variable,
                    "It must be one line of at most " + MAX_VALUE + " characters. Press the button again."));
            return;
        }
        CompletableFuture<String> run = waiting.get(action.groupId());
        Optional<String> sealTo = run == null ? buttons.sealingKey(action.groupId()) : Optional.empty();
        if (run == null && sealTo.isEmpty() || !buttons.decide(action.token(), origin.user(), Decision.SUBMIT)) {
            port.whisper(origin, Message.of(Tone.INFO, "The run is not waiting for this any more", "Nothing was changed."));
            return;
        }
        // The run waits on another replica: the value goes to it sealed to its form's key.
        if (run == null && !buttons.deliverSealed(action.groupId(), SealedBox.seal(sealTo.get(), value, action.groupId()))) {
            port.whisper(origin, Message.of(Tone.INFO, "The run is not waiting for this any more", "Nothing was changed."));
            return;
        }
        audit.append(origin.user().key(), place, "form", "secret value for " + variable,
                "submitted (fingerprint " + SecretGenerator.fingerprint(value) + ")");
        if (run != null) run.complete(value);
    }
}
