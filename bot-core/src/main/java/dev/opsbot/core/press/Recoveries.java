package dev.opsbot.core.press;

import dev.opsbot.core.access.AccessDeniedException;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.engine.KnownGood;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.engine.RunRequest;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.telemetry.LogContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a restart (or a crash, or the loss of the replica running them) left unfinished: each is
 * reported in its channel with what step it was in, and a mutating one is offered Resume (at that
 * step, taking over its lock) and Roll back to the last known-good tag. Which runs are found so,
 * and by which replica, is {@link AbandonedRuns}'.
 */
public final class Recoveries implements PressHandler<Payload.Recover> {
    private static final Logger LOG = LoggerFactory.getLogger(Recoveries.class);
    private static final Duration OFFERED_FOR = Duration.ofHours(24);

    private final RunServices services;
    private final RunEngine engine;
    private final RunbookCatalog catalog;
    private final AccessPolicy access;
    private final PressReplies replies;

    public Recoveries(RunServices services, RunEngine engine, RunbookCatalog catalog, AccessPolicy access, PressReplies replies) {
        this.services = services;
        this.engine = engine;
        this.catalog = catalog;
        this.access = access;
        this.replies = replies;
    }

    /**
     * Counts and reports runs already marked interrupted (each by one claim, so once).
     *
     * @param byRestart whether an earlier process of this bot left them (its only process, on an H2 file); otherwise the
     *                  replica that ran each stopped
     */
    public void reportInterrupted(List<RunRecord> interrupted, boolean byRestart) {
        for (RunRecord r : interrupted) {
            try (LogContext context = LogContext.of(String.valueOf(r.id()), services.environment(), r.requestedBy())) {
                Duration ran = Duration.between(r.startedAt(), services.clock().instant());
                services.telemetry().runFinished(catalog.find(r.runbook()).isPresent() ? r.runbook() : "unknown", "interrupted",
                        ran.isNegative() ? Duration.ZERO : ran);
                String how = byRestart || r.owner() == null ? "was interrupted by a restart" : "was interrupted when replica " + r.owner() + " stopped";
                LOG.info("run {} during step {}/{}; reporting it", how, r.currentStep(), r.stepCount());
                // Its image changes stay in the history as interrupted: the release they brought is still in question.
                services.deploys().finish(r.id(), services.stack().name(), "interrupted", false);
                report(r, how);
            } catch (RuntimeException e) {
                LOG.warn("interrupted run #{} could not be reported: {}", r.id(), e.toString());
            }
        }
    }

    private void report(RunRecord r, String how) {
        ChannelRef channel = ChannelRef.parse(r.channel());
        if (!services.ports().has(channel.platform())) {
            LOG.warn("run #{} ({}) was interrupted; no {} adapter is connected to report it", r.id(), r.invocation(), channel.platform());
            return;
        }
        String step = services.runs().stepName(r.id(), r.currentStep()).orElse("before its first step");
        Optional<Runbook> runbook = catalog.find(r.runbook());
        boolean mutating = runbook.map(Runbook::mutates).orElse(false);
        String text = "Run #" + r.id() + " (" + r.invocation() + ", requested by " + name(r.requestedBy())
                + ") " + how + " during step " + r.currentStep() + "/" + r.stepCount() + " (" + step + "). "
                + "Nothing ran after that. Check the stack with /ops ps before doing anything else."
                + (mutating ? " The stack stays locked until the run is resumed, rolled back or acknowledged (or an admin types /ops unlock --force)." : "");
        services.audit().append("opsbot", r.channel(), "run.interrupted", "#" + r.id() + " " + r.invocation(), "reported");
        ChatPort port = services.ports().of(channel);
        if (r.liveMessage() != null) {
            try {
                port.update(new MessageRef(channel, r.liveMessage()),
                        Message.of(Tone.WARNING, "Interrupted: " + r.invocation() + " (run #" + r.id() + ")", text));
            } catch (RuntimeException e) {
                LOG.debug("live message of run #{} cannot be updated: {}", r.id(), e.getMessage());
            }
        }
        List<PendingButtons.Choice> choices = mutating ? choices(r, runbook.get()) : List.of();
        Message report = Message.of(Tone.WARNING, "Run #" + r.id() + " was interrupted", text);
        if (choices.isEmpty()) {
            port.post(channel, report);
            return;
        }
        UserRef requester = UserRef.of(channel.platform(), name(r.requestedBy()));
        PendingButtons.Offer offer = services.buttons().offer(choices, requester, channel, OFFERED_FOR);
        services.buttons().posted(offer, port.post(channel, report.withButtons(offer.buttons())));
    }

    private List<PendingButtons.Choice> choices(RunRecord r, Runbook runbook) {
        List<PendingButtons.Choice> choices = new ArrayList<>();
        choices.add(new PendingButtons.Choice("Resume at step " + Math.max(1, r.currentStep()), Button.Style.PRIMARY,
                new Payload.Recover(r.id(), Decision.RESUME, null)));
        List<String> pinned = runbook.pinnedServices();
        if (!pinned.isEmpty() && catalog.find("rollback").isPresent()) {
            try {
                KnownGood.of(services).of(pinned.get(0)).ifPresent(good -> choices.add(new PendingButtons.Choice("Roll back to " + good,
                        Button.Style.DANGER, new Payload.Recover(r.id(), Decision.ROLL_BACK, good))));
            } catch (RuntimeException e) {
                LOG.warn("cannot work out a rollback for run #{}: {}", r.id(), e.getMessage());
            }
        }
        choices.add(new PendingButtons.Choice("Acknowledge", Button.Style.DEFAULT, new Payload.Recover(r.id(), Decision.ACKNOWLEDGE, null)));
        return choices;
    }

    @Override
    public void handle(Press<Payload.Recover> press) {
        Payload.Recover recovery = press.payload();
        RunRecord interrupted = services.runs().find(recovery.runId()).orElseThrow(() ->
                new AccessDeniedException("Run #" + recovery.runId() + " is not in the records any more; nothing was changed."));
        if (recovery.decision() == Decision.ACKNOWLEDGE) {
            acknowledge(press, interrupted);
            return;
        }
        boolean resume = recovery.decision() == Decision.RESUME;
        Runbook runbook = catalog.find(resume ? interrupted.runbook() : "rollback").orElseThrow(() ->
                new AccessDeniedException("The runbook is gone; nothing was changed."));
        access.require(press.origin().user(), runbook.requiredRole(), "/ops " + runbook.name());
        if (!services.buttons().decide(press.state().token(), press.origin().user(), recovery.decision())) {
            replies.alreadyDecided(press);
            return;
        }
        replies.accepted(press, recovery.decision().verb() + " run #" + interrupted.id(), "accepted");
        Map<String, String> params = resume ? interrupted.params() : Map.of("tag", recovery.tag());
        String invocation = resume ? interrupted.invocation() : "rollback " + recovery.tag();
        int startStep = resume ? Math.max(0, interrupted.currentStep() - 1) : 0;
        String by = press.origin().user().name();
        long id = engine.start(new RunRequest(runbook, params, invocation, press.origin(), by, startStep, interrupted.id(), press.message()));
        replies.port(press).update(press.message(), Message.of(Tone.INFO, "Run #" + interrupted.id() + " was interrupted",
                (resume ? "Resumed at step " + (startStep + 1) : "Rolling back to " + recovery.tag()) + " by " + by + " · run #" + id));
    }

    /** Someone takes the interrupted run from here by hand: nothing runs, and the stack's lock it held is let go. */
    private void acknowledge(Press<Payload.Recover> press, RunRecord interrupted) {
        String role = catalog.find(interrupted.runbook()).map(Runbook::requiredRole).orElse(AccessPolicy.DEPLOYER);
        access.require(press.origin().user(), role, "Acknowledging interrupted run #" + interrupted.id());
        if (!services.buttons().decide(press.state().token(), press.origin().user(), Decision.ACKNOWLEDGE)) {
            replies.alreadyDecided(press);
            return;
        }
        services.locks().release(services.stack().name(), interrupted.id());
        replies.accepted(press, "acknowledge run #" + interrupted.id(), "accepted: nothing run, lock released");
        replies.port(press).update(press.message(), Message.of(Tone.INFO, "Run #" + interrupted.id() + " was interrupted",
                "Acknowledged by " + press.origin().user().name() + ": nothing was resumed or rolled back, and the stack is no longer "
                        + "locked by it. Check it with /ops ps."));
    }

    private static String name(String userKey) {
        return userKey.replaceFirst("^[^:]*:", "");
    }
}
