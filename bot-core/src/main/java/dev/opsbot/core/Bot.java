package dev.opsbot.core;

import dev.opsbot.core.access.AccessDeniedException;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.access.RateLimiter;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.command.CommandParser;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.Suggestions;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.compose.ComposeException;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.engine.ButtonKind;
import dev.opsbot.core.engine.ChatPorts;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.engine.PendingButtons;
import dev.opsbot.core.engine.PreviewContext;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.engine.RunRequest;
import dev.opsbot.core.engine.RunResult;
import dev.opsbot.core.engine.RunTicket;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.runbook.ArgumentBinder;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.secrets.EnvSecrets;
import dev.opsbot.core.secrets.LeakGuard;
import dev.opsbot.core.secrets.RedactingChatPort;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.ApprovalStore;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.LockStore;
import dev.opsbot.core.store.PendingAction;
import dev.opsbot.core.store.PendingActionStore;
import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher: every command and press from every adapter arrives here, is parsed,
 * checked and answered, and runbooks are confirmed and handed to the {@link RunEngine}.
 * Adapters call in from their own threads; all work happens on the bot's executors.
 */
public final class Bot implements ChatInbox, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bot.class);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final BotSettings settings;
    private final DockerHost docker;
    private final Clock clock;
    private final ChatPorts ports = new ChatPorts();
    private final RunbookCatalog catalog;
    private final CommandParser parser = new CommandParser();
    private final ArgumentBinder binder = new ArgumentBinder();
    private final RunStore runs;
    private final DeployStore deploys;
    private final AuditLog audit;
    private final PendingButtons buttons;
    private final RunEngine engine;
    private final Redactor redactor;
    private final BuiltinCommands builtins;
    private final AccessPolicy access;
    private final RateLimiter rateLimiter;
    private final LockStore locks;
    private final ApprovalStore approvals;
    private final LeakGuard leaks;
    // The lowest priority, so that under a flood of commands the adapters' threads that
    // acknowledge them (within the platform's 3 s) still get the processor first; the launcher
    // lets the JVM pass Java priorities to the OS (-XX:ThreadPriorityPolicy=1).
    private final ExecutorService work = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "opsbot-dispatch");
        t.setPriority(Thread.MIN_PRIORITY);
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** About a second of commands at the rate two cores handle them; beyond it new commands are refused as busy. */
    private static final int MAX_WAITING = 100;
    private volatile dev.opsbot.core.health.HealthMonitor health;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opsbot-expiry");
        t.setDaemon(true);
        return t;
    });

    public Bot(BotSettings settings, DockerHost docker, Database db, Redactor redactor, Clock clock) {
        this(settings, docker, null, db, redactor, clock);
    }

    /** @param swarm the engine as a swarm manager, for environments whose target is a swarm stack; null otherwise */
    public Bot(BotSettings settings, DockerHost docker, dev.opsbot.core.swarm.SwarmHost swarm, Database db, Redactor redactor, Clock clock) {
        this.settings = settings;
        this.docker = docker;
        this.clock = clock;
        this.redactor = redactor;
        this.catalog = new RunbookCatalog(settings.runbooks(), settings.rules());
        this.access = settings.access();
        this.rateLimiter = new RateLimiter(access.commandsPerMinute(), clock);
        this.locks = new LockStore(db);
        this.approvals = new ApprovalStore(db);
        this.runs = new RunStore(db);
        this.deploys = new DeployStore(db);
        this.audit = new AuditLog(db, redactor);
        this.buttons = new PendingButtons(new PendingActionStore(db), clock);
        this.engine = new RunEngine(settings.stack(), docker, swarm, runs, locks, deploys, audit, ports, redactor, buttons,
                settings.logDir(), clock, this::afterRun, settings.release(), settings.secrets());
        this.leaks = leakGuard(settings);
        this.builtins = new BuiltinCommands(settings.stack(), docker, catalog, runs, deploys, engine, locks, audit, access);
        catalog.refresh();
    }

    /** Connects an adapter's port; call before {@link #start()}. */
    public void register(ChatPort port) {
        // Everything the bot says passes the redactor, whichever path it takes.
        ports.add(RedactingChatPort.wrap(port, redactor));
    }

    /** Watches the stack's health and alerts its channels; call before {@link #start()}. The bot closes it. */
    public void monitorHealth(dev.opsbot.core.health.HealthMonitor monitor) {
        this.health = monitor;
        builtins.alerts(monitor.commands());
    }

    /**
     * Reports runs a crash left unfinished, and starts expiring stale buttons and the health
     * monitor. Call once the adapters are connected (the reports go to their channels).
     */
    public void start() {
        for (RunRecord r : runs.interruptLeftovers()) reportInterrupted(r);
        sweeper.scheduleWithFixedDelay(this::expireButtons, 1, 1, TimeUnit.SECONDS);
        if (health != null) health.start(ports, buttons);
    }

    /** Whether a button or form token is one this bot handed out (several bots serve several environments). */
    public boolean owns(String token) {
        return buttons.find(token).isPresent();
    }

    /** The stack this bot operates. */
    public Stack stack() {
        return settings.stack();
    }

    /** Who holds the stack's lock for what, if anyone. */
    public Optional<LockStore.Lock> lock() {
        return locks.held(settings.stack().name());
    }

    public RunbookCatalog catalog() {
        return catalog;
    }

    public RunEngine engine() {
        return engine;
    }

    public AuditLog audit() {
        return audit;
    }

    public DeployStore deploys() {
        return deploys;
    }

    public RunStore runs() {
        return runs;
    }

    @Override
    public void onCommand(Origin origin, String text) {
        if (overloaded()) {
            // Refused before any work: under a flood, queueing would only make every answer late.
            LOG.warn("busy: {} commands waiting; refused one from {}", inFlight.get(), origin.user().key());
            sweeper.execute(() -> whisper(origin, Message.of(Tone.WARNING, "Busy", BUSY)));
            return;
        }
        dispatch(origin, () -> handleCommand(origin, text));
    }

    /** More commands and presses are queued or being handled than the bot starts within about a second. */
    @Override
    public boolean overloaded() {
        return inFlight.get() >= MAX_WAITING;
    }

    @Override
    public void onPress(Origin origin, String token, MessageRef message) {
        dispatch(origin, () -> handlePress(origin, token, message));
    }

    @Override
    public void onModalSubmit(Origin origin, String token, Map<String, String> values) {
        dispatch(origin, () -> handleModal(origin, token, values));
    }

    private void dispatch(Origin origin, Runnable action) {
        inFlight.incrementAndGet();
        try {
            work.execute(() -> {
                try {
                    guarded(origin, action);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.decrementAndGet();
            LOG.warn("the bot is stopping; a request from {} was not handled", origin.user().key());
        }
    }

    /** Whether no command or press is queued or being handled. */
    private boolean dispatchIdle() {
        return inFlight.get() == 0;
    }

    /** Waits until queued commands are handled and runs have finished (the console's end of input). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return awaitQuiet(timeout, false);
    }

    /**
     * Waits until queued commands are handled and every active run has either finished or is
     * waiting for someone to press a button: the moment a scripted console may read its next line.
     */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        return awaitQuiet(timeout, true);
    }

    private boolean awaitQuiet(Duration timeout, boolean answersCount) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (dispatchIdle() && (engine.activeRuns().isEmpty() || answersCount && engine.waitingForAnswer())) {
                // A run that just finished may still be offering a rollback: check once more after a beat.
                Thread.sleep(20);
                if (dispatchIdle() && (engine.activeRuns().isEmpty() || answersCount && engine.waitingForAnswer())) return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private void guarded(Origin origin, Runnable action) {
        try {
            action.run();
        } catch (UsageException e) {
            audit.append(origin.user().key(), origin.channel().toString(), "refused", e.getMessage(), "usage");
            whisper(origin, Message.builder(Tone.WARNING, e.getMessage())
                    .context(e.usage().isEmpty() ? "" : "Usage: " + e.usage()).build());
        } catch (AccessDeniedException e) {
            audit.append(origin.user().key(), origin.channel().toString(), "refused", e.getMessage(), "not allowed");
            whisper(origin, Message.of(Tone.WARNING, "Not done", e.getMessage()));
        } catch (ComposeException e) {
            whisper(origin, Message.of(Tone.FAILURE, "The compose file cannot be used", redactor.apply(e.getMessage())));
        } catch (DockerException e) {
            whisper(origin, Message.of(Tone.FAILURE, "Docker did not do it", redactor.apply(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.error("handling a request from {} failed", origin.user().key(), e);
            whisper(origin, Message.of(Tone.FAILURE, "Something went wrong", redactor.apply(String.valueOf(e.getMessage()))));
        }
    }

    private void handleCommand(Origin origin, String text) {
        String who = origin.user().key();
        audit.append(who, origin.channel().toString(), "command", "/ops " + text, "received");
        if (!rateLimiter.allow(who)) {
            throw new AccessDeniedException("Too many commands: at most " + access.commandsPerMinute()
                    + " a minute each. Nothing was queued; try again in a minute.");
        }
        if (origin.channel().direct() && !access.directMessages()) {
            throw new AccessDeniedException("Commands in direct messages are not enabled: use the ops channel.");
        }
        if (refusePastedSecret(origin, text)) return;
        catalog.refresh();
        Invocation inv = parser.parse(text);
        if (BuiltinCommands.VERBS.contains(inv.verb())) {
            require(origin, BuiltinCommands.roleFor(inv.verb()), "/ops " + inv.verb());
            Message answer = builtins.handle(inv, origin).orElseThrow();
            if (BuiltinCommands.PRIVATE.contains(inv.verb())) whisper(origin, answer);
            else ports.of(origin.channel()).post(origin.channel(), answer);
            return;
        }
        Runbook runbook = catalog.find(inv.verb()).orElseThrow(() -> unknownVerb(inv.verb()));
        require(origin, runbook.requiredRole(), "/ops " + runbook.name());
        if (!runbook.allowedIn(origin.channel())) {
            throw new AccessDeniedException("/ops " + runbook.name() + " runs only in " + String.join(", ", runbook.channels()) + ".");
        }
        Map<String, String> params = new java.util.LinkedHashMap<>(binder.bind(runbook, inv, () -> settings.stack().load().services().keySet()));
        String invocation = fillSuggestedDefaults(runbook, params, inv);
        if (runbook.mutates()) {
            locks.held(settings.stack().name()).ifPresent(lock -> {
                throw new AccessDeniedException(dev.opsbot.core.engine.LockMessages.busy(lock));
            });
        }
        if (runbook.approval() != null) {
            askApproval(origin, runbook, params, invocation);
        } else if (runbook.mutates()) {
            askConfirmation(origin, runbook, params, invocation);
        } else {
            engine.start(new RunRequest(runbook, params, invocation, origin, null));
        }
    }

    private void require(Origin origin, String role, String what) {
        if (role == null || access.has(origin.user(), role)) return;
        java.util.Set<String> roles = access.rolesOf(origin.user());
        throw new AccessDeniedException(what + " needs the " + role + " role; " + origin.user().name()
                + (roles.isEmpty() ? " has none" : " has " + String.join(", ", roles)) + ". Ask an admin.");
    }

    /** Fills parameters declared {@code default-from: last-known-good}; returns the invocation with them written out. */
    private String fillSuggestedDefaults(Runbook runbook, Map<String, String> params, Invocation inv) {
        StringBuilder invocation = new StringBuilder(inv.display());
        for (dev.opsbot.core.runbook.Parameter p : runbook.params()) {
            if (p.defaultFrom() == null || params.containsKey(p.name())) continue;
            if (runbook.pinnedServices().isEmpty()) {
                throw new UsageException("Name the " + p.name() + ".", runbook.usageLine());
            }
            String service = runbook.pinnedServices().get(0);
            String current = ImageRef.parse(settings.stack().load().require(service).image()).tag();
            String good = deploys.lastKnownGood(settings.stack().name(), service, current).orElseThrow(() -> new UsageException(
                    "The deploy history has no known-good tag of " + service + " yet: name one.", runbook.usageLine()));
            params.put(p.name(), good);
            invocation.append(p.flag() ? " --" + p.name() + " " + good : " " + good);
        }
        return invocation.toString();
    }

    private UsageException unknownVerb(String verb) {
        List<String> known = new ArrayList<>(BuiltinCommands.VERBS);
        known.addAll(catalog.all().keySet());
        String hint = Suggestions.closest(verb, known).map(s -> " Did you mean " + s + "?").orElse("");
        return new UsageException("Unknown command '" + (verb.length() > 30 ? verb.substring(0, 30) + "…" : verb) + "'." + hint
                + " Type /ops help for the list.", "/ops help");
    }

    private void askConfirmation(Origin origin, Runbook runbook, Map<String, String> params, String invocation) {
        List<String> changes = preview(runbook, params);
        RunTicket confirm = new RunTicket(runbook.name(), params, invocation, "confirm", origin.user().id(), origin.user().name());
        RunTicket cancel = new RunTicket(runbook.name(), params, invocation, "cancel", origin.user().id(), origin.user().name());
        PendingButtons.Offer offer = buttons.offer(ButtonKind.CONFIRM, List.of(
                new PendingButtons.Choice("Confirm", Button.Style.PRIMARY, PendingButtons.json(confirm)),
                new PendingButtons.Choice("Cancel", Button.Style.DEFAULT, PendingButtons.json(cancel))),
                origin.user(), origin.channel(), settings.confirmTimeout());
        Message ask = Message.builder(Tone.WARNING, "Confirm: " + invocation)
                .line(runbook.summary())
                .line(changes.isEmpty() ? "Steps: " + String.join("; ", runbook.steps().stream().map(s -> s.title(new Template(params))).toList())
                        : "This will change:\n" + String.join("\n", changes))
                .field("Requested by", origin.user().name())
                .field("Expires", "in " + Durations.human(settings.confirmTimeout()) + " (" + CLOCK.format(offer.expiresAt()) + ")")
                .context("Stack " + settings.stack().name() + " · only " + origin.user().name() + " can confirm")
                .build().withButtons(offer.buttons());
        MessageRef posted = ports.of(origin.channel()).post(origin.channel(), ask);
        buttons.posted(offer, posted);
        audit.append(origin.user().key(), origin.channel().toString(), "confirm.ask", invocation, "pending");
    }

    private List<String> preview(Runbook runbook, Map<String, String> params) {
        ComposeProject project = settings.stack().load();
        PreviewContext preview = new PreviewContext(project, docker, new Template(params),
                dev.opsbot.core.runbook.Operations.readOnly(settings.release(), settings.secrets()));
        List<String> changes = new ArrayList<>();
        for (Step step : runbook.steps()) changes.addAll(step.preview(preview));
        return changes;
    }

    private void askApproval(Origin origin, Runbook runbook, Map<String, String> params, String invocation) {
        var rule = runbook.approval();
        RunTicket approve = new RunTicket(runbook.name(), params, invocation, "approve", origin.user().id(), origin.user().name());
        RunTicket deny = new RunTicket(runbook.name(), params, invocation, "deny", origin.user().id(), origin.user().name());
        PendingButtons.Offer offer = buttons.offer(ButtonKind.APPROVAL, List.of(
                new PendingButtons.Choice("Approve", Button.Style.PRIMARY, PendingButtons.json(approve)),
                new PendingButtons.Choice("Deny", Button.Style.DANGER, PendingButtons.json(deny))),
                origin.user(), origin.channel(), rule.expires());
        MessageRef posted = ports.of(origin.channel()).post(origin.channel(),
                approvalMessage(runbook, approve, List.of(), offer.expiresAt()).withButtons(offer.buttons()));
        buttons.posted(offer, posted);
        audit.append(origin.user().key(), origin.channel().toString(), "approval.ask", invocation, "pending");
    }

    private Message approvalMessage(Runbook runbook, RunTicket ticket, List<String> approvedBy, java.time.Instant expires) {
        var rule = runbook.approval();
        List<String> changes = preview(runbook, ticket.params());
        return Message.builder(Tone.WARNING, "Approval needed: " + ticket.invocation())
                .line(ticket.requesterName() + " asks to run " + ticket.invocation() + ". " + runbook.summary())
                .line(changes.isEmpty() ? "" : "This will change:\n" + String.join("\n", changes))
                .field("Requested by", ticket.requesterName())
                .field("Needs", rule.approvers() + " approval(s) from the " + rule.role() + " role"
                        + (rule.selfApprove() ? "" : ", not " + ticket.requesterName()))
                .field("Approved by", approvedBy.isEmpty() ? "nobody yet" : String.join(", ", approvedBy))
                .field("Expires", CLOCK.format(expires))
                .context("Stack " + settings.stack().name())
                .build();
    }

    private void pressApproval(Origin origin, PendingAction action, MessageRef message) {
        RunTicket ticket = PendingButtons.fromJson(action.payload(), RunTicket.class);
        String place = origin.channel().toString();
        String who = origin.user().key();
        Runbook runbook = catalog.find(ticket.runbook()).orElse(null);
        if (runbook == null || runbook.approval() == null) {
            whisper(origin, Message.of(Tone.WARNING, "This request can no longer be approved", "The runbook " + ticket.runbook() + " changed or is gone."));
            return;
        }
        var rule = runbook.approval();
        boolean requester = who.equals(action.requestedBy());
        if (ticket.decision().equals("deny")) {
            if (!requester && !access.has(origin.user(), rule.role())) {
                audit.append(who, place, "press", "deny " + ticket.invocation(), "refused: no " + rule.role() + " role");
                throw new AccessDeniedException("Denying needs the " + rule.role() + " role. Nothing was changed.");
            }
            if (ports.of(origin.channel()) instanceof ModalPort modals && origin.interactionId() != null) {
                PendingButtons.Offer reason = buttons.offer(ButtonKind.DENY_REASON, List.of(
                        new PendingButtons.Choice("Deny", Button.Style.DANGER, action.token())), origin.user(), origin.channel(), rule.expires());
                modals.openModal(origin, new ModalPort.Modal(reason.buttons().get(0).token(), "Deny " + ticket.runbook(),
                        List.of(new ModalPort.Input("reason", "Why is this denied?", false))));
                return;
            }
            deny(origin, action, ticket, "", message);
            return;
        }
        if (requester && !rule.selfApprove()) {
            audit.append(who, place, "press", "approve " + ticket.invocation(), "refused: own request");
            throw new AccessDeniedException("Four eyes: someone other than " + ticket.requesterName()
                    + " must approve their request. Nothing was changed.");
        }
        if (!access.has(origin.user(), rule.role())) {
            audit.append(who, place, "press", "approve " + ticket.invocation(), "refused: no " + rule.role() + " role");
            throw new AccessDeniedException("Approving needs the " + rule.role() + " role; " + origin.user().name()
                    + " does not have it. Nothing was changed.");
        }
        if (!approvals.add(action.groupId(), origin.user().name(), clock.instant())) {
            whisper(origin, Message.of(Tone.INFO, "You already approved this", "It still needs others."));
            return;
        }
        List<String> approvedBy = approvals.approvers(action.groupId());
        audit.append(who, place, "press", "approve " + ticket.invocation(), "accepted (" + approvedBy.size() + "/" + rule.approvers() + ")");
        ChatPort port = ports.of(origin.channel());
        if (approvedBy.size() < rule.approvers()) {
            List<Button> same = chatButtons(action);
            port.update(message, approvalMessage(runbook, ticket, approvedBy, action.expiresAt()).withButtons(same));
            return;
        }
        if (!buttons.decide(action.token(), origin.user(), "approved")) {
            whisper(origin, Message.of(Tone.INFO, "Already decided", "Nothing more was changed."));
            return;
        }
        Map<String, String> params = binder.bind(runbook, parser.parse(ticket.invocation()), () -> settings.stack().load().services().keySet());
        UserRef asker = new UserRef(origin.user().platform(), ticket.requesterId(), ticket.requesterName(), java.util.Set.of());
        long id = engine.start(new RunRequest(runbook, params, ticket.invocation(), new Origin(origin.channel(), asker),
                String.join(", ", approvedBy)).from(message));
        port.update(message, Message.of(Tone.INFO, "Approved: " + ticket.invocation(),
                "Approved by " + String.join(", ", approvedBy) + " at " + CLOCK.format(clock.instant()) + " · run #" + id));
    }

    /** The buttons of a pending request, rebuilt from its stored state (for re-rendering it). */
    private List<Button> chatButtons(PendingAction action) {
        RunTicket approve = PendingButtons.fromJson(action.payload(), RunTicket.class);
        return buttons.group(action.groupId()).stream().map(a -> {
            boolean approving = PendingButtons.fromJson(a.payload(), RunTicket.class).decision().equals("approve");
            return new Button(approving ? "Approve" : "Deny", a.token(), approving ? Button.Style.PRIMARY : Button.Style.DANGER);
        }).sorted(java.util.Comparator.comparing(b -> b.label().equals("Approve") ? 0 : 1)).toList();
    }

    private void deny(Origin origin, PendingAction denyAction, RunTicket ticket, String reason, MessageRef request) {
        if (!buttons.decide(denyAction.token(), origin.user(), "denied")) {
            whisper(origin, Message.of(Tone.INFO, "Already decided", "Nothing more was changed."));
            return;
        }
        audit.append(origin.user().key(), origin.channel().toString(), "press", "deny " + ticket.invocation(),
                "accepted" + (reason.isBlank() ? "" : ": " + reason));
        ports.of(request.channel()).update(request, Message.of(Tone.INFO, "Denied: " + ticket.invocation(),
                "Denied by " + origin.user().name() + (reason.isBlank() ? "" : ": " + redactor.apply(reason)) + ". Nothing was changed."));
    }

    private void handleModal(Origin origin, String token, Map<String, String> values) {
        Optional<PendingAction> found = buttons.find(token);
        if (found.isPresent() && found.get().kind().equals(ButtonKind.SECRET_FORM.name())) {
            engine.secretForms().submit(origin, found.get(), values);
            return;
        }
        if (found.isEmpty() || !found.get().kind().equals(ButtonKind.DENY_REASON.name()) || found.get().decided()
                || found.get().expired(buttons.now()) || !found.get().requestedBy().equals(origin.user().key())) {
            whisper(origin, Message.of(Tone.WARNING, "This form is no longer expected", "Nothing was changed."));
            return;
        }
        buttons.decide(token, origin.user(), "submitted");
        PendingAction denyAction = buttons.find(found.get().payload()).orElseThrow();
        if (denyAction.decided() || denyAction.expired(buttons.now())) {
            whisper(origin, Message.of(Tone.INFO, "Already decided", "The request was decided or expired meanwhile."));
            return;
        }
        ChannelRef channel = ChannelRef.parse(denyAction.channel());
        deny(origin, denyAction, PendingButtons.fromJson(denyAction.payload(), RunTicket.class), values.getOrDefault("reason", ""),
                new MessageRef(channel, denyAction.messageId()));
    }

    private void pressRecover(Origin origin, PendingAction action, MessageRef message) {
        dev.opsbot.core.engine.Recovery recovery = PendingButtons.fromJson(action.payload(), dev.opsbot.core.engine.Recovery.class);
        RunRecord interrupted = runs.find(recovery.runId()).orElseThrow();
        boolean resume = recovery.action().equals(dev.opsbot.core.engine.Recovery.RESUME);
        Runbook runbook = catalog.find(resume ? interrupted.runbook() : "rollback").orElseThrow(() ->
                new AccessDeniedException("The runbook is gone; nothing was changed."));
        require(origin, runbook.requiredRole(), "/ops " + runbook.name());
        if (!buttons.decide(action.token(), origin.user(), recovery.action())) {
            whisper(origin, Message.of(Tone.INFO, "Already decided", "Someone pressed a button of this message first."));
            return;
        }
        audit.append(origin.user().key(), origin.channel().toString(), "press", recovery.action() + " run #" + interrupted.id(), "accepted");
        @SuppressWarnings("unchecked")
        Map<String, String> params = resume ? PendingButtons.fromJson(interrupted.params(), Map.class) : Map.of("tag", recovery.tag());
        String invocation = resume ? interrupted.invocation() : "rollback " + recovery.tag();
        int startStep = resume ? Math.max(0, interrupted.currentStep() - 1) : 0;
        long id = engine.start(new RunRequest(runbook, params, invocation, origin, origin.user().name(), startStep,
                interrupted.id(), message));
        ports.of(origin.channel()).update(message, Message.of(Tone.INFO, "Run #" + interrupted.id() + " was interrupted",
                (resume ? "Resumed at step " + (startStep + 1) : "Rolling back to " + recovery.tag()) + " by " + origin.user().name() + " · run #" + id));
    }

    private void handlePress(Origin origin, String token, MessageRef message) {
        Optional<PendingAction> found = buttons.find(token);
        String who = origin.user().key();
        if (found.isEmpty()) {
            audit.append(who, origin.channel().toString(), "press", "unknown button", "refused");
            whisper(origin, Message.of(Tone.WARNING, "This button is not valid",
                    "It does not belong to any request the bot knows. Type the command again."));
            return;
        }
        PendingAction action = found.get();
        String place = origin.channel().toString();
        if (!action.channel().equals(place)) {
            audit.append(who, place, "press", action.kind() + " from another channel", "refused");
            whisper(origin, Message.of(Tone.WARNING, "This button belongs to another channel", "Nothing was changed."));
            return;
        }
        if (action.decided()) {
            audit.append(who, place, "press", action.kind(), "refused: already " + action.decision());
            whisper(origin, Message.of(Tone.INFO, "Already decided",
                    "This was " + action.decision() + (action.decidedBy().equals("opsbot") ? "" : " by " + action.decidedBy())
                            + (action.decidedAt() == null ? "" : " at " + CLOCK.format(action.decidedAt())) + ". Nothing was changed."));
            return;
        }
        if (action.expired(buttons.now())) {
            audit.append(who, place, "press", action.kind(), "refused: expired");
            whisper(origin, Message.of(Tone.WARNING, "This button has expired",
                    "It expired at " + CLOCK.format(action.expiresAt()) + ". Nothing was changed; type the command again."));
            return;
        }
        switch (ButtonKind.valueOf(action.kind())) {
            case CONFIRM -> pressConfirm(origin, action, message);
            case CHOICE -> pressChoice(origin, action, message);
            case INVOKE -> pressInvoke(origin, action, message);
            case APPROVAL -> pressApproval(origin, action, message);
            case RECOVER -> pressRecover(origin, action, message);
            case DENY_REASON -> whisper(origin, Message.of(Tone.WARNING, "This is a form, not a button", "Nothing was changed."));
            case ACK -> pressAcknowledge(origin, action, message);
            case SECRET_FORM -> engine.secretForms().press(origin, action);
        }
    }

    private void pressConfirm(Origin origin, PendingAction action, MessageRef message) {
        RunTicket ticket = PendingButtons.fromJson(action.payload(), RunTicket.class);
        String place = origin.channel().toString();
        if (!origin.user().key().equals(action.requestedBy())) {
            audit.append(origin.user().key(), place, "press", ticket.decision() + " " + ticket.invocation(), "refused: not the requester");
            whisper(origin, Message.of(Tone.WARNING, "Only " + ticket.requesterName() + " can " + ticket.decision() + " this",
                    "They asked for " + ticket.invocation() + ". Nothing was changed."));
            return;
        }
        if (!buttons.decide(action.token(), origin.user(), ticket.decision().equals("confirm") ? "confirmed" : "cancelled")) {
            whisper(origin, Message.of(Tone.INFO, "Already decided", "Someone pressed a button of this request first. Nothing more was changed."));
            return;
        }
        ChatPort port = ports.of(origin.channel());
        audit.append(origin.user().key(), place, "press", ticket.decision() + " " + ticket.invocation(), "accepted");
        if (ticket.decision().equals("cancel")) {
            port.update(message, Message.of(Tone.INFO, "Cancelled: " + ticket.invocation(), "Cancelled by " + origin.user().name() + ". Nothing was changed."));
            return;
        }
        Optional<Runbook> runbook = catalog.find(ticket.runbook());
        if (runbook.isEmpty()) {
            port.update(message, Message.of(Tone.FAILURE, "Cannot run: " + ticket.invocation(), "The runbook " + ticket.runbook() + " is gone or broken now."));
            return;
        }
        // The runbook may have changed since the question was asked: check the arguments again.
        Map<String, String> params = binder.bind(runbook.get(), parser.parse(ticket.invocation()),
                () -> settings.stack().load().services().keySet());
        UserRef requester = new UserRef(origin.user().platform(), ticket.requesterId(), ticket.requesterName(), origin.user().groups());
        long id = engine.start(new RunRequest(runbook.get(), params, ticket.invocation(),
                new Origin(origin.channel(), requester, origin.interactionId()), origin.user().name()).from(message));
        port.update(message, Message.of(Tone.INFO, "Confirmed: " + ticket.invocation(),
                "Confirmed by " + origin.user().name() + " at " + CLOCK.format(clock.instant()) + " · run #" + id));
    }

    private void pressChoice(Origin origin, PendingAction action, MessageRef message) {
        String[] parts = action.payload().split(":");
        long runId = Long.parseLong(parts[0]);
        int option = Integer.parseInt(parts[1]);
        String place = origin.channel().toString();
        if (!origin.user().key().equals(action.requestedBy())) {
            audit.append(origin.user().key(), place, "press", "answer for run #" + runId, "refused: not the requester");
            whisper(origin, Message.of(Tone.WARNING, "Only the person who started run #" + runId + " can answer", "Nothing was changed."));
            return;
        }
        if (!buttons.decide(action.token(), origin.user(), "answered")) {
            whisper(origin, Message.of(Tone.INFO, "Already answered", "Nothing more was changed."));
            return;
        }
        boolean delivered = engine.answer(action.groupId(), option);
        audit.append(origin.user().key(), place, "press", "answer " + option + " for run #" + runId, delivered ? "accepted" : "no longer waiting");
        if (!delivered) {
            whisper(origin, Message.of(Tone.WARNING, "Run #" + runId + " is not waiting for this any more",
                    "It finished or was interrupted. Nothing was changed."));
        }
    }

    private void pressAcknowledge(Origin origin, PendingAction action, MessageRef message) {
        require(origin, AccessPolicy.DEPLOYER, "Acknowledging an alert");
        audit.append(origin.user().key(), origin.channel().toString(), "press", "acknowledge alert #" + action.payload(), "accepted");
        if (health != null) health.acknowledge(origin, action, message);
    }

    private void pressInvoke(Origin origin, PendingAction action, MessageRef message) {
        if (dev.opsbot.core.health.HealthMonitor.isAlertButton(action)) {
            // An alert's buttons stay on it while it is open: the press is the presser typing the command, nothing more.
            audit.append(origin.user().key(), origin.channel().toString(), "press", "/ops " + action.payload() + " (alert)", "accepted");
            handleCommand(origin, action.payload());
            return;
        }
        if (!buttons.decide(action.token(), origin.user(), "pressed")) {
            whisper(origin, Message.of(Tone.INFO, "Already pressed", "Someone pressed this first."));
            return;
        }
        audit.append(origin.user().key(), origin.channel().toString(), "press", "/ops " + action.payload(), "accepted");
        ports.of(origin.channel()).update(message, Message.of(Tone.INFO, "Requested: /ops " + action.payload(),
                "Pressed by " + origin.user().name() + "."));
        handleCommand(origin, action.payload());
    }

    /** After a failed deploy, offers to roll back to the last known-good tag. */
    private void afterRun(RunResult result) {
        if (result.status() == RunStatus.SUCCEEDED || !result.request().runbook().offerRollbackOnFailure()) return;
        var changed = result.changes().stream().filter(c -> !c.before().equals(c.after())).findFirst();
        if (changed.isEmpty() || catalog.find("rollback").isEmpty()) return;
        String failedTag = ImageRef.parse(changed.get().after()).tag();
        Optional<String> good = deploys.lastKnownGood(settings.stack().name(), changed.get().service(), failedTag);
        if (good.isEmpty()) return;
        Origin origin = result.request().origin();
        PendingButtons.Offer offer = buttons.offer(ButtonKind.INVOKE, List.of(
                new PendingButtons.Choice("Roll back to " + good.get(), Button.Style.DANGER, "rollback " + good.get())),
                origin.user(), origin.channel(), settings.rollbackOfferTimeout());
        ChatPort port = ports.of(origin.channel());
        MessageRef posted = port.reply(result.liveMessage(), Message.builder(Tone.FAILURE,
                        "Run #" + result.runId() + " failed: roll back?")
                .line("The last known-good tag of " + changed.get().service() + " is " + good.get() + ".")
                .line("Rolling back asks for confirmation first.")
                .build().withButtons(offer.buttons()));
        buttons.posted(offer, posted);
    }

    private void reportInterrupted(RunRecord r) {
        ChannelRef channel = ChannelRef.parse(r.channel());
        if (!ports.has(channel.platform())) {
            LOG.warn("run #{} ({}) was interrupted; no {} adapter is connected to report it", r.id(), r.invocation(), channel.platform());
            return;
        }
        String step = runs.stepName(r.id(), r.currentStep()).orElse("before its first step");
        Optional<Runbook> runbook = catalog.find(r.runbook());
        boolean mutating = runbook.map(Runbook::mutates).orElse(false);
        String text = "Run #" + r.id() + " (" + r.invocation() + ", requested by " + r.requestedBy().replaceFirst("^[^:]*:", "")
                + ") was interrupted by a restart during step " + r.currentStep() + "/" + r.stepCount() + " (" + step + "). "
                + "Nothing ran after that. Check the stack with /ops ps before doing anything else."
                + (mutating ? " The stack stays locked until the run is resumed, rolled back, or an admin types /ops unlock --force." : "");
        audit.append("opsbot", r.channel(), "run.interrupted", "#" + r.id() + " " + r.invocation(), "reported");
        ChatPort port = ports.of(channel);
        try {
            if (r.liveMessage() != null) {
                port.update(new MessageRef(channel, r.liveMessage()), Message.of(Tone.WARNING, "Interrupted: " + r.invocation() + " (run #" + r.id() + ")", text));
            }
        } catch (RuntimeException e) {
            LOG.debug("live message of run #{} cannot be updated: {}", r.id(), e.getMessage());
        }
        List<PendingButtons.Choice> choices = new ArrayList<>();
        if (mutating && runbook.isPresent()) {
            choices.add(new PendingButtons.Choice("Resume at step " + Math.max(1, r.currentStep()), Button.Style.PRIMARY,
                    PendingButtons.json(new dev.opsbot.core.engine.Recovery(r.id(), dev.opsbot.core.engine.Recovery.RESUME, null))));
            List<String> pinned = runbook.get().pinnedServices();
            if (!pinned.isEmpty() && catalog.find("rollback").isPresent()) {
                try {
                    String current = ImageRef.parse(settings.stack().load().require(pinned.get(0)).image()).tag();
                    deploys.lastKnownGood(settings.stack().name(), pinned.get(0), current).ifPresent(good -> choices.add(
                            new PendingButtons.Choice("Roll back to " + good, Button.Style.DANGER,
                                    PendingButtons.json(new dev.opsbot.core.engine.Recovery(r.id(), dev.opsbot.core.engine.Recovery.ROLLBACK, good)))));
                } catch (RuntimeException e) {
                    LOG.warn("cannot work out a rollback for run #{}: {}", r.id(), e.getMessage());
                }
            }
        }
        Message report = Message.of(Tone.WARNING, "Run #" + r.id() + " was interrupted", text);
        if (choices.isEmpty()) {
            port.post(channel, report);
            return;
        }
        UserRef requester = UserRef.of(channel.platform(), r.requestedBy().replaceFirst("^[^:]*:", ""));
        PendingButtons.Offer offer = buttons.offer(ButtonKind.RECOVER, choices, requester, channel, Duration.ofHours(24));
        buttons.posted(offer, port.post(channel, report.withButtons(offer.buttons())));
    }

    // --- secrets typed into a command (docs/release-and-secrets.md) ---

    private static LeakGuard leakGuard(BotSettings settings) {
        EnvSecrets env = new EnvSecrets(List.of(settings.secrets().envFile(settings.stack().composeFile())));
        return new LeakGuard(env::current, settings.secrets().policies().keySet());
    }

    /**
     * A command holding a secret (a current value of .env, or a token shape) is not run: the
     * person is told privately, the channel is told the value must be rotated, the audit row
     * says so (the value itself is redacted everywhere).
     */
    private boolean refusePastedSecret(Origin origin, String text) {
        Optional<LeakGuard.Leak> leak = leaks.find(text);
        if (leak.isEmpty()) return false;
        LeakGuard.Leak l = leak.get();
        audit.append(origin.user().key(), origin.channel().toString(), "secret.pasted", l.description(), "refused");
        whisper(origin, Message.of(Tone.FAILURE, "Not run: the command holds a secret",
                "It holds " + l.description() + ". Secrets are entered in a private form, never typed in a command."));
        Message.Builder warn = Message.builder(Tone.FAILURE, "A secret was typed into a command")
                .line(origin.user().name() + " typed " + l.description() + " into a command; it was refused and not run. "
                        + "Treat the value as leaked.")
                .line(l.variable() != null ? "Rotate it now: /ops secret-leaked " + l.variable()
                        : "Rotate it where it was issued, then update .env and the CI secrets.");
        ChatPort port = ports.of(origin.channel());
        if (l.variable() != null && catalog.find("secret-leaked").isPresent()) {
            PendingButtons.Offer offer = buttons.offer(ButtonKind.INVOKE, List.of(new PendingButtons.Choice(
                    "Rotate " + l.variable() + " now", Button.Style.DANGER, "secret-leaked " + l.variable())),
                    origin.user(), origin.channel(), settings.rollbackOfferTimeout());
            buttons.posted(offer, port.post(origin.channel(), warn.build().withButtons(offer.buttons())));
        } else {
            port.post(origin.channel(), warn.build());
        }
        return true;
    }

    private void expireButtons() {
        try {
            for (PendingAction a : buttons.expireDue()) {
                ButtonKind kind = ButtonKind.valueOf(a.kind());
                if (dev.opsbot.core.health.HealthMonitor.isAlertButton(a)) continue;
                if (a.messageId() == null || kind == ButtonKind.CHOICE || kind == ButtonKind.DENY_REASON || kind == ButtonKind.SECRET_FORM) continue;
                ChannelRef channel = ChannelRef.parse(a.channel());
                if (!ports.has(channel.platform())) continue;
                String what = switch (kind) {
                    case CONFIRM, APPROVAL -> PendingButtons.fromJson(a.payload(), RunTicket.class).invocation();
                    case RECOVER -> "recovery of run #" + PendingButtons.fromJson(a.payload(), dev.opsbot.core.engine.Recovery.class).runId();
                    default -> "/ops " + a.payload();
                };
                ports.of(channel).update(new MessageRef(channel, a.messageId()), Message.of(Tone.INFO, "Expired: " + what,
                        "Nobody pressed a button in time; nothing was changed. Type the command again if it is still wanted."));
                audit.append("opsbot", a.channel(), "expire", what, "expired");
            }
        } catch (RuntimeException e) {
            LOG.warn("expiring buttons failed: {}", e.getMessage());
        }
    }

    private void whisper(Origin origin, Message message) {
        ports.whisper(origin, message);
    }

    @Override
    public void close() {
        if (health != null) health.close();
        sweeper.shutdownNow();
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
    }
}
