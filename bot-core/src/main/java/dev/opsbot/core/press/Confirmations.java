package dev.opsbot.core.press;

import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.button.RunTicket;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.engine.RunPreview;
import dev.opsbot.core.engine.RunRequest;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A mutating run asks its requester first: the message says what will change and offers
 * Confirm and Cancel, which only the requester may press. Confirm runs the ticket as it was
 * validated when asked.
 */
public final class Confirmations implements PressHandler<Payload.Confirm> {
    private final RunServices services;
    private final RunEngine engine;
    private final RunbookCatalog catalog;
    private final RunPreview preview;
    private final Duration timeout;
    private final PressReplies replies;

    public Confirmations(RunServices services, RunEngine engine, RunbookCatalog catalog, Duration timeout, PressReplies replies) {
        this.services = services;
        this.engine = engine;
        this.catalog = catalog;
        this.preview = new RunPreview(services);
        this.timeout = timeout;
        this.replies = replies;
    }

    /** Posts the question for {@code invocation} of {@code runbook} with its validated {@code params}. */
    public void ask(Origin origin, Runbook runbook, Map<String, String> params, String invocation, ComposeProject project) {
        RunTicket ticket = new RunTicket(runbook.name(), params, invocation, origin.user().id(), origin.user().name());
        PendingButtons.Offer offer = services.buttons().offer(List.of(
                new PendingButtons.Choice("Confirm", Button.Style.PRIMARY, new Payload.Confirm(ticket, Decision.CONFIRM)),
                new PendingButtons.Choice("Cancel", Button.Style.DEFAULT, new Payload.Confirm(ticket, Decision.CANCEL))),
                origin.user(), origin.channel(), timeout);
        List<String> changes = preview.changes(runbook, params, project);
        Message ask = Message.builder(Tone.WARNING, "Confirm: " + invocation)
                .line(runbook.summary())
                .line(changes.isEmpty() ? preview.steps(runbook, params) : "This will change:\n" + String.join("\n", changes))
                .field("Requested by", origin.user().name())
                .field("Expires", "in " + Durations.human(timeout) + " (" + PressReplies.CLOCK.format(offer.expiresAt()) + ")")
                .context("Stack " + services.stack().name() + " · only " + origin.user().name() + " can confirm")
                .build().withButtons(offer.buttons());
        MessageRef posted = services.ports().of(origin.channel()).post(origin.channel(), ask);
        services.buttons().posted(offer, posted);
        services.audit().append(origin.user().key(), origin.channel().toString(), "confirm.ask", invocation, "pending");
    }

    @Override
    public void handle(Press<Payload.Confirm> press) {
        RunTicket ticket = press.payload().ticket();
        Decision decision = press.payload().decision();
        String what = decision.verb() + " " + ticket.invocation();
        if (!press.byRequester()) {
            replies.refuse(press, what, "refused: not the requester", Message.of(Tone.WARNING,
                    "Only " + ticket.requesterName() + " can " + decision.verb() + " this",
                    "They asked for " + ticket.invocation() + ". Nothing was changed."));
            return;
        }
        if (!services.buttons().decide(press.state().token(), press.origin().user(), decision)) {
            replies.alreadyDecided(press);
            return;
        }
        replies.accepted(press, what, "accepted");
        ChatPort port = replies.port(press);
        String by = press.origin().user().name();
        if (decision == Decision.CANCEL) {
            port.update(press.message(), Message.of(Tone.INFO, "Cancelled: " + ticket.invocation(), "Cancelled by " + by + ". Nothing was changed."));
            return;
        }
        Optional<Runbook> runbook = catalog.find(ticket.runbook()).filter(r -> r.accepts(ticket.params()));
        if (runbook.isEmpty()) {
            port.update(press.message(), Message.of(Tone.FAILURE, "Cannot run: " + ticket.invocation(),
                    "The runbook " + ticket.runbook() + " changed, is gone or is broken now. Type the command again."));
            return;
        }
        Origin origin = press.origin();
        UserRef requester = new UserRef(origin.user().platform(), ticket.requesterId(), ticket.requesterName(), origin.user().groups());
        long id = engine.start(new RunRequest(runbook.get(), ticket.params(), ticket.invocation(),
                new Origin(origin.channel(), requester, origin.interactionId()), by).from(press.message()));
        port.update(press.message(), Message.of(Tone.INFO, "Confirmed: " + ticket.invocation(),
                "Confirmed by " + by + " at " + PressReplies.CLOCK.format(services.clock().instant()) + " · run #" + id));
    }
}
