package dev.opsbot.core;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.builtin.BuiltinCommands;
import dev.opsbot.core.builtin.BuiltinContext;
import dev.opsbot.core.builtin.EnvironmentDirectory;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.dispatch.CommandPipeline;
import dev.opsbot.core.dispatch.CommandTally;
import dev.opsbot.core.dispatch.Dispatcher;
import dev.opsbot.core.dispatch.FailureAnswers;
import dev.opsbot.core.dispatch.Intake;
import dev.opsbot.core.dispatch.Settling;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.health.HealthMonitor;
import dev.opsbot.core.press.AbandonedRuns;
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
import dev.opsbot.core.replica.Duty;
import dev.opsbot.core.replica.Leadership;
import dev.opsbot.core.replica.ReplicaSettings;
import dev.opsbot.core.retention.Retention;
import dev.opsbot.core.retention.RetentionKeeper;
import dev.opsbot.core.runbook.RunbookCatalog;
import dev.opsbot.core.secrets.RedactingChatPort;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.ApprovalStore;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.LeaseStore;
import dev.opsbot.core.store.LockStore;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One environment's bot: every command, press and form an adapter hands over is queued on the
 * bot's own threads ({@link Dispatcher}) and answered there, by the {@link CommandPipeline} or
 * the handler of the pressed button ({@link Presses}); runs go to the {@link RunEngine}. What must
 * happen once among replicas (reporting interrupted runs, expiring buttons, watching health) runs
 * while this replica leads ({@link Leadership}). This class only wires those parts and starts and
 * stops them. Stopping is graceful when asked first
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
    private final AbandonedRuns abandoned;
    private final ButtonExpiry expiry;
    private final Leadership leadership;
    /** Whether other processes may share the database (PostgreSQL), rather than only this one (an H2 file). */
    private final boolean shared;
    private final Intake intake;
    private final Settling settling;
    private final RetentionKeeper keeper;
    private volatile HealthMonitor health;
    private volatile EnvironmentDirectory environments;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opsbot-expiry");
        t.setDaemon(true);
        return t;
    });

    public Bot(BotSettings settings, DockerHost docker, Database db, Redactor redactor, Clock clock) {
        this(settings, docker, null, db, redactor, clock);
    }

    /** @param swarm the engine as a swarm manager, for environments whose target is a swarm stack; null otherwise */
    public Bot(BotSettings settings, DockerHost docker, SwarmHost swarm, Database db, Redactor redactor, Clock clock) {
        this.settings = settings;
        this.catalog = new RunbookCatalog(settings.runbooks(), settings.rules());
        AccessPolicy access = settings.access();
        AuditLog audit = new AuditLog(db, redactor);
        ChatPorts ports = new ChatPorts();
        PendingButtons buttons = new PendingButtons(db, clock);
        this.services = new RunServices(settings.stack(), docker, swarm, new RunStore(db), new LockStore(db), new DeployStore(db),
                audit, ports, redactor, buttons, settings.logDir(), clock, settings.release(), settings.secrets(),
                settings.environment(), settings.telemetry(), settings.replica());
        this.engine = new RunEngine(services, new RollbackOffers(services, catalog, settings.rollbackOfferTimeout()));
        PressReplies replies = new PressReplies(ports, audit, buttons);
        Confirmations confirmations = new Confirmations(services, engine, catalog, settings.confirmTimeout(), replies);
        Approvals approvals = new Approvals(services, engine, catalog, access, new ApprovalStore(db), replies);
        Recoveries recoveries = new Recoveries(services, engine, catalog, access, replies);
        ReplicaSettings replica = settings.replica();
        this.abandoned = new AbandonedRuns(services.runs(), recoveries, replica.id(), db.exclusive(), replica.staleAfter(), engine::runningHere);
        this.leadership = new Leadership(new LeaseStore(db), replica, db.exclusive(), settings.environment());
        this.shared = !db.exclusive();
        // The history is shared among replicas, so only the leader prunes it; the run logs are this replica's own.
        this.keeper = new RetentionKeeper(db, settings.logDir(), clock, leadership::leading);
        BuiltinContext context = new BuiltinContext(services, catalog, engine, access,
                () -> Optional.ofNullable(health).map(HealthMonitor::commands), () -> environments, builtins);
        CommandTally tally = new CommandTally(settings.telemetry(), builtins, catalog);
        this.commands = new CommandPipeline(services, catalog, engine, access, context, confirmations, approvals,
                settings.rollbackOfferTimeout(), tally);
        this.presses = Presses.everyKind(buttons, audit, replies, confirmations, approvals, recoveries,
                new Answers(buttons, engine, services.runs(), replies), new Invocations(buttons, commands::handle, replies),
                new Acknowledgements(access, () -> Optional.ofNullable(health), replies), engine.secretForms());
        this.expiry = new ButtonExpiry(buttons, ports, audit);
        this.dispatcher = new Dispatcher(new FailureAnswers(ports, audit, redactor), settings.environment());
        this.intake = new Intake(dispatcher, tally, ports, sweeper);
        this.settling = new Settling(dispatcher, engine);
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
        keeper.retain(retention);
    }

    /** The environments beside this bot's, for {@code /ops envs} (a bot alone says it serves one). */
    public void environments(EnvironmentDirectory directory) {
        this.environments = directory;
    }

    /**
     * Takes part in the environment's leadership: while this replica leads (at once when it is the
     * only one) it reports runs a crash, a restart or a lost replica left unfinished, expires stale
     * buttons, watches the stack's health and forgets run history older than the retention. Every
     * replica removes its own old run logs (a pass now, then every {@link Retention#every()}).
     * Call once the adapters are connected (the reports go to their channels).
     */
    public void start() {
        Telemetry telemetry = settings.telemetry();
        String environment = settings.environment();
        telemetry.waiting(environment, "confirmation", services.buttons()::waitingConfirmations);
        telemetry.waiting(environment, "approval", services.buttons()::waitingApprovals);
        telemetry.locksHeld(environment, () -> lock().isPresent() ? 1 : 0);
        telemetry.runbooksServed(catalog.all().keySet());
        telemetry.leadership(environment, () -> Optional.ofNullable(leadership.state().since()).filter(since -> leadership.leading()));
        leadership.add(new Sweeps(abandoned, expiry, sweeper, settings.replica().heartbeatEvery(), shared));
        HealthMonitor monitor = health;
        if (monitor != null) {
            monitor.attach(services.ports(), services.buttons(), engine, environment, telemetry);
            leadership.add(Duty.of("watching health", monitor::watch, monitor::standBy));
        }
        leadership.start();
        // After start: a replica alone leads by then, so the first pass prunes the history too.
        keeper.start();
    }

    /** Whether this replica leads the environment, since when, and who leads otherwise (as last seen). */
    public Leadership.State leadership() {
        return leadership.state();
    }

    /**
     * The process is stopping: from now on commands, presses and forms are answered "restarting"
     * (privately), and every run stops before its next step, left as a crash leaves it so the next
     * start reports it with Resume at that step.
     */
    public void stopTaking() {
        // The flags first, as they take no time: letting the lease go waits on the database, and a
        // quick step could end and the next one begin meanwhile. Then the duties, so another
        // replica takes them over at once and reports this one's runs.
        engine.stopBeforeNextSteps();
        intake.stop();
        leadership.stop();
        LOG.info("stopping: new commands are answered 'restarting'; {} run(s) stop before their next step", engine.activeRuns().size());
    }

    /**
     * After {@link #stopTaking()}: waits until work being handled is done and every run has
     * stopped or waits for a person; false when a step still ran at the end of {@code timeout}
     * (closing the bot then leaves it as a crash would).
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return settling.stopped(timeout);
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

    /** What runs work with: the stores (runs, deploys, the audit trail, locks), the ports, the settings. */
    public RunServices services() {
        return services;
    }

    /** The commands this bot answers, as menus offer them: the built-ins, then one per runbook. */
    public List<CommandSpec> commands() {
        return builtins.menuWith(catalog.all().values());
    }

    @Override
    public void onCommand(Origin origin, String text) {
        intake.command(origin, text, () -> commands.handle(origin, text));
    }

    @Override
    public Optional<String> turnedAway(Origin origin, String text) {
        return intake.turnedAway(origin, text);
    }

    /** More commands and presses are queued or being handled than the bot starts within about a second. */
    public boolean overloaded() {
        return dispatcher.overloaded();
    }

    @Override
    public void onPress(Origin origin, String token, MessageRef message) {
        intake.press(origin, () -> presses.press(origin, token, message));
    }

    @Override
    public void onModalSubmit(Origin origin, String token, Map<String, String> values) {
        intake.press(origin, () -> presses.submit(origin, token, values));
    }

    /** Waits until queued commands are handled and runs have finished (the console's end of input). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return settling.idle(timeout);
    }

    /**
     * Waits until queued commands are handled and every active run has either finished or is
     * waiting for someone to press a button: the moment a scripted console may read its next line.
     */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        return settling.settled(timeout);
    }

    @Override
    public void close() {
        leadership.stop();
        if (health != null) health.close();
        sweeper.shutdownNow();
        keeper.close();
        dispatcher.close();
        engine.close();
        catalog.close();
    }
}
