package dev.opsbot.core;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.builtin.BuiltinContext;
import dev.opsbot.core.builtin.EnvironmentDirectory;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.dispatch.CommandPipeline;
import dev.opsbot.core.dispatch.CommandTally;
import dev.opsbot.core.dispatch.Dispatcher;
import dev.opsbot.core.dispatch.FailureAnswers;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.health.HealthMonitor;
import dev.opsbot.core.press.Acknowledgements;
import dev.opsbot.core.press.Answers;
import dev.opsbot.core.press.Approvals;
import dev.opsbot.core.press.ButtonExpiry;
import dev.opsbot.core.press.Confirmations;
import dev.opsbot.core.press.Invocations;
import dev.opsbot.core.press.PressReplies;
import dev.opsbot.core.press.Presses;
import dev.opsbot.core.press.Recoveries;
import dev.opsbot.core.press.RollbackOffers;
import dev.opsbot.core.retention.Retention;
import dev.opsbot.core.retention.RetentionJob;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.secrets.RedactingChatPort;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.ApprovalStore;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.LockStore;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One environment's bot: every command, press and form an adapter hands over is queued on the
 * bot's own threads ({@link Dispatcher}) and answered there, by the {@link CommandPipeline} or
 * the handler of the pressed button ({@link Presses}); runs go to the {@link RunEngine}. This
 * class only wires those parts and starts and stops them. Stopping is graceful when asked first
 * ({@link #stopTaking()}): new work is answered "restarting" and runs stop before their next step.
 */
public final class Bot implements ChatInbox, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bot.class);

    private final BotSettings settings;
    private final RunServices services;
    private final RunbookCatalog catalog;
    private final BuiltinCommands builtins = BuiltinCommands.discover();
    private final RunEngine engine;
    private final Dispatcher dispatcher;
    private final CommandPipeline commands;
    private final Presses presses;
    private final Recoveries recoveries;
    private final ButtonExpiry expiry;
    private final CommandTally tally;
    private final Database db;
    private volatile Retention retention = Retention.DEFAULTS;
    private volatile boolean stopping;
    private volatile HealthMonitor health;
    private volatile EnvironmentDirectory environments;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opsbot-expiry");
        t.setDaemon(true);
        return t;
    });
    // Its own thread: a long first pass over a big history must not hold up button expiry.
    private final ScheduledExecutorService keeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opsbot-retention");
        t.setDaemon(true);
        return t;
    });

    public Bot(BotSettings settings, DockerHost docker, Database db, Redactor redactor, Clock clock) {
        this(settings, docker, null, db, redactor, clock);
    }

    /** @param swarm the engine as a swarm manager, for environments whose target is a swarm stack; null otherwise */
    public Bot(BotSettings settings, DockerHost docker, SwarmHost swarm, Database db, Redactor redactor, Clock clock) {
        this.settings = settings;
        this.db = db;
        this.catalog = new RunbookCatalog(settings.runbooks(), settings.rules());
        AccessPolicy access = settings.access();
        AuditLog audit = new AuditLog(db, redactor);
        ChatPorts ports = new ChatPorts();
        PendingButtons buttons = new PendingButtons(db, clock);
        this.services = new RunServices(settings.stack(), docker, swarm, new RunStore(db), new LockStore(db), new DeployStore(db),
                audit, ports, redactor, buttons, settings.logDir(), clock, settings.release(), settings.secrets(),
                settings.environment(), settings.telemetry());
        this.engine = new RunEngine(services, new RollbackOffers(services, catalog, settings.rollbackOfferTimeout()));
        this.environments = this::onlyEnvironment;
        PressReplies replies = new PressReplies(ports, audit, buttons);
        Confirmations confirmations = new Confirmations(services, engine, catalog, settings.confirmTimeout(), replies);
        Approvals approvals = new Approvals(services, engine, catalog, access, new ApprovalStore(db), replies);
        this.recoveries = new Recoveries(services, engine, catalog, access, replies);
        BuiltinContext context = new BuiltinContext(services, catalog, engine, access,
                () -> Optional.ofNullable(health).map(HealthMonitor::commands), () -> environments, builtins);
        this.tally = new CommandTally(settings.telemetry(), builtins, catalog);
        this.commands = new CommandPipeline(services, catalog, engine, access, context, confirmations, approvals,
                settings.rollbackOfferTimeout(), tally);
        this.presses = Presses.builder(buttons, audit, replies)
                .on(Payload.Confirm.class, confirmations)
                .on(Payload.Approval.class, approvals)
                .on(Payload.DenyReason.class, approvals.reasonPressed())
                .onForm(Payload.DenyReason.class, approvals::reasonGiven)
                .on(Payload.Answer.class, new Answers(buttons, engine, replies))
                .on(Payload.Invoke.class, new Invocations(buttons, commands::handle, replies))
                .on(Payload.Acknowledge.class, new Acknowledgements(access, () -> Optional.ofNullable(health), replies))
                .on(Payload.Recover.class, recoveries)
                .on(Payload.SecretForm.class, p -> engine.secretForms().press(p.origin(), p.state(), p.payload()))
                .onForm(Payload.SecretForm.class, (p, values) -> engine.secretForms().submit(p.origin(), p.state(), p.payload(), values))
                .build();
        this.expiry = new ButtonExpiry(buttons, ports, audit);
        this.dispatcher = new Dispatcher(new FailureAnswers(ports, audit, redactor), settings.environment());
        catalog.refresh();
    }

    /** Connects an adapter's port; call before {@link #start()}. */
    public void register(ChatPort port) {
        // Everything the bot says passes the redactor, whichever path it takes.
        services.ports().add(RedactingChatPort.wrap(port, services.redactor()));
    }

    /** Watches the stack's health and alerts its channels; call before {@link #start()}. The bot closes it. */
    public void monitorHealth(HealthMonitor monitor) {
        this.health = monitor;
    }

    /** How long run history and run logs are kept; call before {@link #start()} ({@link Retention#DEFAULTS} otherwise). */
    public void retain(Retention retention) {
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    /** What keeps the history and the logs within the retention: a plain job, which {@link #start()} schedules. */
    public RetentionJob retentionJob() {
        return new RetentionJob(retention, db, settings.logDir(), services.clock());
    }

    /** The environments beside this bot's, for {@code /ops envs}; a bot alone describes itself. */
    public void environments(EnvironmentDirectory directory) {
        this.environments = directory;
    }

    /**
     * Reports runs a crash (or a restart) left unfinished, and starts expiring stale buttons, the
     * health monitor and the retention job (a pass now, then every {@link Retention#every()}).
     * Call once the adapters are connected (the reports go to their channels).
     */
    public void start() {
        Telemetry telemetry = settings.telemetry();
        String environment = settings.environment();
        telemetry.waiting(environment, "confirmation", services.buttons()::waitingConfirmations);
        telemetry.waiting(environment, "approval", services.buttons()::waitingApprovals);
        telemetry.locksHeld(environment, () -> lock().isPresent() ? 1 : 0);
        telemetry.runbooksServed(catalog.all().keySet());
        recoveries.reportLeftovers();
        sweeper.scheduleWithFixedDelay(expiry, 1, 1, TimeUnit.SECONDS);
        RetentionJob keep = retentionJob();
        keeper.scheduleWithFixedDelay(keep, 0, keep.retention().every().toMillis(), TimeUnit.MILLISECONDS);
        if (health != null) health.start(services.ports(), services.buttons(), environment, telemetry);
    }

    /**
     * The process is stopping: from now on commands, presses and forms are answered "restarting"
     * (privately), and every run stops before its next step, left as a crash leaves it so the next
     * start reports it with Resume at that step.
     */
    public void stopTaking() {
        stopping = true;
        engine.stopBeforeNextSteps();
        LOG.info("stopping: new commands are answered 'restarting'; {} run(s) stop before their next step", engine.activeRuns().size());
    }

    /**
     * After {@link #stopTaking()}: waits until work being handled is done and every run has
     * stopped or waits for a person; false when a step still ran at the end of {@code timeout}
     * (closing the bot then leaves it as a crash would).
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!dispatcher.idle()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return engine.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Whether a button or form token is one this bot handed out (several bots serve several environments). */
    public boolean owns(String token) {
        return presses.owns(token);
    }

    /** The stack this bot operates. */
    public Stack stack() {
        return settings.stack();
    }

    /** Who holds the stack's lock for what, if anyone. */
    public Optional<LockStore.Lock> lock() {
        return services.locks().held(settings.stack().name());
    }

    public RunbookCatalog catalog() {
        return catalog;
    }

    public RunEngine engine() {
        return engine;
    }

    public AuditLog audit() {
        return services.audit();
    }

    public DeployStore deploys() {
        return services.deploys();
    }

    public RunStore runs() {
        return services.runs();
    }

    /** The commands this bot answers, as menus offer them: the built-ins, then one per runbook. */
    public List<CommandSpec> commands() {
        return builtins.menuWith(catalog.all().values());
    }

    @Override
    public void onCommand(Origin origin, String text) {
        Optional<String> away = turnedAway(origin, text);
        if (away.isPresent()) {
            tellPrivately(origin, away.get());
            return;
        }
        dispatcher.submit(origin, () -> {
            if (stopping) {
                tally.answered(text, CommandTally.BUSY);
                tellPrivately(origin, RESTARTING);
            } else {
                commands.handle(origin, text);
            }
        });
    }

    /**
     * Refused before any work, and counted: under a flood queueing would only make every answer
     * late, and a stopping bot starts nothing new.
     */
    @Override
    public Optional<String> turnedAway(Origin origin, String text) {
        String answer = stopping ? RESTARTING : dispatcher.overloaded() ? BUSY : null;
        if (answer == null) return Optional.empty();
        if (!stopping) LOG.warn("busy: commands waiting; refused one from {}", origin.user().key());
        tally.answered(text, CommandTally.BUSY);
        return Optional.of(answer);
    }

    /** Off the adapter's thread: a whisper may wait on the platform. */
    private void tellPrivately(Origin origin, String text) {
        String title = text.equals(RESTARTING) ? "Restarting" : "Busy";
        try {
            sweeper.execute(() -> services.ports().whisper(origin, Message.of(Tone.WARNING, title, text)));
        } catch (RejectedExecutionException e) {
            LOG.info("closed: a request from {} was not answered", origin.user().key());
        }
    }

    /** More commands and presses are queued or being handled than the bot starts within about a second. */
    public boolean overloaded() {
        return dispatcher.overloaded();
    }

    @Override
    public void onPress(Origin origin, String token, MessageRef message) {
        unlessStopping(origin, () -> presses.press(origin, token, message));
    }

    @Override
    public void onModalSubmit(Origin origin, String token, Map<String, String> values) {
        unlessStopping(origin, () -> presses.submit(origin, token, values));
    }

    /** A press or form is not decided while the bot stops: its button stays usable after the restart. */
    private void unlessStopping(Origin origin, Runnable work) {
        if (stopping) {
            tellPrivately(origin, RESTARTING);
            return;
        }
        dispatcher.submit(origin, () -> {
            if (stopping) tellPrivately(origin, RESTARTING); else work.run();
        });
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
            if (quiet(answersCount)) {
                // A run that just finished may still be offering a rollback: check once more after a beat.
                Thread.sleep(20);
                if (quiet(answersCount)) return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private boolean quiet(boolean answersCount) {
        return dispatcher.idle() && (engine.activeRuns().isEmpty() || answersCount && engine.waitingForAnswer());
    }

    private Message onlyEnvironment() {
        return Message.of(Tone.INFO, "Environments", "This bot serves one: the stack " + settings.stack().name()
                + ". Environments are set in opsbot.yml (docs/environments.md).");
    }

    @Override
    public void close() {
        if (health != null) health.close();
        sweeper.shutdownNow();
        // Not interrupted: a pass in the middle of a delete finishes (a moment) before the database closes.
        keeper.shutdown();
        dispatcher.close();
        engine.close();
        try {
            keeper.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
