package dev.opsbot.core.press;

import dev.opsbot.core.access.AccessDeniedException;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.button.ButtonState;
import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.button.RunTicket;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.engine.RunPreview;
import dev.opsbot.core.engine.RunRequest;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.runbook.Approval;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.store.ApprovalStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Four eyes: a runbook with an approval rule posts Approve and Deny for people of the rule's
 * role (not the requester, unless the rule allows it). The run starts once enough people
 * approved; a denial asks the denier why (privately, where the platform has forms).
 */
public final class Approvals implements PressHandler<Payload.Approval> {
    private final RunServices services;
    private final RunEngine engine;
    private final RunbookCatalog catalog;
    private final AccessPolicy access;
    private final ApprovalStore approvals;
    private final RunPreview preview;
    private final PressReplies replies;

    public Approvals(RunServices services, RunEngine engine, RunbookCatalog catalog, AccessPolicy access, ApprovalStore approvals,
                     PressReplies replies) {
        this.services = services;
        this.engine = engine;
        this.catalog = catalog;
        this.access = access;
        this.approvals = approvals;
        this.preview = new RunPreview(services);
        this.replies = replies;
    }

    /** Posts the request for approval of {@code invocation} of {@code runbook} with its validated {@code params}. */
    public void ask(Origin origin, Runbook runbook, Map<String, String> params, String invocation, ComposeProject project) {
        RunTicket ticket = new RunTicket(runbook.name(), params, invocation, origin.user().id(), origin.user().name());
        PendingButtons.Offer offer = services.buttons().offer(List.of(
                new PendingButtons.Choice("Approve", Button.Style.PRIMARY, new Payload.Approval(ticket, Decision.APPROVE)),
                new PendingButtons.Choice("Deny", Button.Style.DANGER, new Payload.Approval(ticket, Decision.DENY))),
                origin.user(), origin.channel(), runbook.approval().expires());
        List<String> changes = preview.changes(runbook, params, project);
        MessageRef posted = services.ports().of(origin.channel()).post(origin.channel(),
                request(runbook, ticket, changes, List.of(), offer.expiresAt()).withButtons(offer.buttons()));
        services.buttons().posted(offer, posted);
        services.audit().append(origin.user().key(), origin.channel().toString(), "approval.ask", invocation, "pending");
    }

    private Message request(Runbook runbook, RunTicket ticket, List<String> changes, List<String> approvedBy, Instant expires) {
        Approval rule = runbook.approval();
        return Message.builder(Tone.WARNING, "Approval needed: " + ticket.invocation())
                .line(ticket.requesterName() + " asks to run " + ticket.invocation() + ". " + runbook.summary())
                .line(changes.isEmpty() ? "" : "This will change:\n" + String.join("\n", changes))
                .field("Requested by", ticket.requesterName())
                .field("Needs", rule.approvers() + " approval(s) from the " + rule.role() + " role"
                        + (rule.selfApprove() ? "" : ", not " + ticket.requesterName()))
                .field("Approved by", approvedBy.isEmpty() ? "nobody yet" : String.join(", ", approvedBy))
                .field("Expires", PressReplies.CLOCK.format(expires))
                .context("Stack " + services.stack().name())
                .build();
    }

    @Override
    public void handle(Press<Payload.Approval> press) {
        RunTicket ticket = press.payload().ticket();
        Runbook runbook = catalog.find(ticket.runbook()).filter(r -> r.approval() != null && r.accepts(ticket.params())).orElse(null);
        if (runbook == null) {
            replies.whisper(press.origin(), Message.of(Tone.WARNING, "This request can no longer be approved",
                    "The runbook " + ticket.runbook() + " changed or is gone."));
            return;
        }
        if (press.payload().decision() == Decision.DENY) {
            deny(press, runbook.approval());
        } else {
            approve(press, runbook, ticket);
        }
    }

    private void deny(Press<Payload.Approval> press, Approval rule) {
        String what = "deny " + press.payload().ticket().invocation();
        if (!press.byRequester() && !access.has(press.origin().user(), rule.role())) {
            replies.accepted(press, what, "refused: no " + rule.role() + " role");
            throw new AccessDeniedException("Denying needs the " + rule.role() + " role. Nothing was changed.");
        }
        Origin origin = press.origin();
        if (replies.port(press) instanceof ModalPort modals && origin.interactionId() != null) {
            PendingButtons.Offer reason = services.buttons().offer(List.of(new PendingButtons.Choice("Deny", Button.Style.DANGER,
                    new Payload.DenyReason(press.state().token()))), origin.user(), origin.channel(), rule.expires());
            modals.openModal(origin, new ModalPort.Modal(reason.buttons().get(0).token(), "Deny " + press.payload().ticket().runbook(),
                    List.of(new ModalPort.Input("reason", "Why is this denied?", false))));
            return;
        }
        decideDenial(origin, press.state(), press.payload().ticket(), "", press.message());
    }

    private void approve(Press<Payload.Approval> press, Runbook runbook, RunTicket ticket) {
        Approval rule = runbook.approval();
        UserRef approver = press.origin().user();
        String what = "approve " + ticket.invocation();
        if (press.byRequester() && !rule.selfApprove()) {
            replies.accepted(press, what, "refused: own request");
            throw new AccessDeniedException("Four eyes: someone other than " + ticket.requesterName()
                    + " must approve their request. Nothing was changed.");
        }
        if (!access.has(approver, rule.role())) {
            replies.accepted(press, what, "refused: no " + rule.role() + " role");
            throw new AccessDeniedException("Approving needs the " + rule.role() + " role; " + approver.name()
                    + " does not have it. Nothing was changed.");
        }
        String group = press.state().groupId();
        if (!approvals.add(group, approver.name(), services.clock().instant())) {
            replies.whisper(press.origin(), Message.of(Tone.INFO, "You already approved this", "It still needs others."));
            return;
        }
        List<String> approvedBy = approvals.approvers(group);
        replies.accepted(press, what, "accepted (" + approvedBy.size() + "/" + rule.approvers() + ")");
        ChatPort port = replies.port(press);
        if (approvedBy.size() < rule.approvers()) {
            List<String> changes = preview.changes(runbook, ticket.params(), services.stack().load());
            port.update(press.message(), request(runbook, ticket, changes, approvedBy, press.state().expiresAt()).withButtons(buttons(group)));
            return;
        }
        if (!services.buttons().decide(press.state().token(), approver, Decision.APPROVE)) {
            replies.alreadyDecided(press);
            return;
        }
        UserRef asker = new UserRef(approver.platform(), ticket.requesterId(), ticket.requesterName(), Set.of());
        long id = engine.start(new RunRequest(runbook, ticket.params(), ticket.invocation(), new Origin(press.origin().channel(), asker),
                String.join(", ", approvedBy)).from(press.message()));
        port.update(press.message(), Message.of(Tone.INFO, "Approved: " + ticket.invocation(),
                "Approved by " + String.join(", ", approvedBy) + " at " + PressReplies.CLOCK.format(services.clock().instant()) + " · run #" + id));
    }

    /** The Approve and Deny buttons of a request, as stored, for showing it again. */
    private List<Button> buttons(String groupId) {
        return services.buttons().group(groupId).stream().map(s -> {
            boolean approving = s.payload() instanceof Payload.Approval a && a.decision() == Decision.APPROVE;
            return new Button(approving ? "Approve" : "Deny", s.token(), approving ? Button.Style.PRIMARY : Button.Style.DANGER);
        }).sorted(Comparator.comparing(b -> b.label().equals("Approve") ? 0 : 1)).toList();
    }

    /** The denier's form pressed as a button (a platform without forms cannot get here). */
    public PressHandler<Payload.DenyReason> reasonPressed() {
        return press -> replies.whisper(press.origin(), Message.of(Tone.WARNING, "This is a form, not a button", "Nothing was changed."));
    }

    /** The denier's reason arrived: the request is denied with it. */
    public void reasonGiven(Press<Payload.DenyReason> form, Map<String, String> values) {
        Origin origin = form.origin();
        if (form.state().decided() || form.state().expired(services.clock().instant()) || !form.byRequester()) {
            replies.whisper(origin, Message.of(Tone.WARNING, "This form is no longer expected", "Nothing was changed."));
            return;
        }
        services.buttons().decide(form.state().token(), origin.user(), Decision.SUBMIT);
        ButtonState denyButton = services.buttons().find(form.payload().denyToken()).orElse(null);
        if (denyButton == null || denyButton.decided() || denyButton.expired(services.clock().instant())
                || !(denyButton.payload() instanceof Payload.Approval request)) {
            replies.whisper(origin, Message.of(Tone.INFO, "Already decided", "The request was decided or expired meanwhile. Nothing was changed."));
            return;
        }
        decideDenial(origin, denyButton, request.ticket(), values.getOrDefault("reason", ""),
                new MessageRef(ChannelRef.parse(denyButton.channel()), denyButton.messageId()));
    }

    private void decideDenial(Origin origin, ButtonState denyButton, RunTicket ticket, String reason, MessageRef request) {
        if (!services.buttons().decide(denyButton.token(), origin.user(), Decision.DENY)) {
            replies.alreadyDecided(origin, services.buttons().find(denyButton.token()).orElse(denyButton));
            return;
        }
        services.audit().append(origin.user().key(), origin.channel().toString(), "press", "deny " + ticket.invocation(),
                "accepted" + (reason.isBlank() ? "" : ": " + reason));
        services.ports().of(request.channel()).update(request, Message.of(Tone.INFO, "Denied: " + ticket.invocation(),
                "Denied by " + origin.user().name() + (reason.isBlank() ? "" : ": " + services.redactor().apply(reason)) + ". Nothing was changed."));
    }
}
