package dev.opsbot.core.health;

import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.DockerUnavailableException;
import dev.opsbot.core.docker.RunningImage;
import dev.opsbot.core.engine.RunResult;
import dev.opsbot.core.engine.RunsInProgress;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.store.AlertStore;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.LockStore;
import dev.opsbot.core.store.RunStore;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.telemetry.LogContext;
import dev.opsbot.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one stack and tells its channels when a check fails, once, and when it recovers.
 * Docker events, the periodic re-read of the containers' state and the probes all end up as
 * {@link Observation}s that one thread feeds through the {@link AlertBook} and shows with the
 * {@link AlertNotifier}: the alert state is only ever touched by that thread. What it sees of a
 * service a run is changing goes into that run's message instead ({@link RunFold}).
 *
 * <p>Of several replicas only the leader watches ({@link #watch()}, {@link #standBy()}); the others
 * answer {@code /ops alerts} and {@code /ops mute} from the store and pass an Acknowledge on to the
 * watching one through it.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    /** After the wait that follows a run, the re-read comes just after the hold ends. */
    private static final Duration AFTER_RUN_MARGIN = Duration.ofMillis(100);

    private final Stack stack;
    private final MonitorSettings settings;
    private final ContainerWatch watch;
    private final Clock clock;
    private final AlertStore store;
    private final LockStore locks;
    private final RecentDeploys deploys;
    private final ContainerChecks containers;
    private final Map<ProbeSpec, Probe> runnable = new LinkedHashMap<>();
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private volatile AlertBook book;
    private volatile ProbeScheduler probes;
    private volatile EventWatcher events;
    private volatile boolean watching;
    private final AlertCommands commands;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(() -> {
            try (LogContext context = LogContext.put(LogContext.ENVIRONMENT, this.environment)) {
                r.run();
            }
        }, "opsbot-health");
        t.setDaemon(true);
        return t;
    });
    private volatile RunFold fold;
    private volatile AlertNotifier notifier;
    private volatile ChatPorts ports;
    private volatile String environment;
    private volatile AlertTelemetry reported;

    /**
     * @param docker for the HTTP and exec probes
     * @param watch  the engine's events and the state of the project's containers
     */
    public HealthMonitor(Stack stack, MonitorSettings settings, DockerHost docker, ContainerWatch watch, Database db, Redactor redactor,
                         Clock clock) {
        this(stack, settings, docker, watch, null, db, redactor, clock);
    }

    /** @param swarm for the swarm task probes of a swarm environment; null where there are none */
    public HealthMonitor(Stack stack, MonitorSettings settings, DockerHost docker, ContainerWatch watch, SwarmHost swarm, Database db,
                         Redactor redactor, Clock clock) {
        this.stack = stack;
        this.settings = settings;
        this.watch = watch;
        this.clock = clock;
        this.store = new AlertStore(db);
        this.locks = new LockStore(db);
        this.deploys = new RecentDeploys(new DeployStore(db), new RunStore(db), stack.name(), settings.deployWindow());
        this.fold = new RunFold(RunsInProgress.NONE, settings.afterFailedRun());
        this.containers = new ContainerChecks(stack, watch, redactor, clock);
        for (ProbeSpec spec : settings.probes()) {
            Probe probe;
            if (spec instanceof ProbeSpec.Http h) probe = new HttpProbe(h, stack, docker);
            else if (spec instanceof ProbeSpec.Exec e) probe = new ExecProbe(e, stack, docker);
            else probe = new SwarmTasksProbe((ProbeSpec.SwarmTasks) spec, Objects.requireNonNull(swarm, "a swarm for the task probes"));
            runnable.put(spec, () -> {
                ProbeResult r = probe.run();
                return new ProbeResult(r.ok(), redactor.apply(r.output()));
            });
        }
        this.commands = new AlertCommands(this);
    }

    /** Starts watching, with no runs to hand what it sees to and nothing counted (tests of the monitor alone). */
    public void start(ChatPorts chatPorts, PendingButtons pendingButtons) {
        attach(chatPorts, pendingButtons, RunsInProgress.NONE, stack.name(), Telemetry.NONE);
        watch();
    }

    /**
     * Where alerts go (the channels of {@code ports}, with buttons made by {@code buttons}), which
     * runs take what it sees of the services they change, and where what the monitor counts goes
     * ({@code telemetry}, under {@code environment}); once, before {@link #watch()}.
     */
    public void attach(ChatPorts chatPorts, PendingButtons pendingButtons, RunsInProgress runs, String environment, Telemetry telemetry) {
        this.environment = environment;
        this.reported = new AlertTelemetry(telemetry, environment, store, stack.name(), clock);
        this.ports = chatPorts;
        this.fold = new RunFold(runs, settings.afterFailedRun());
        runs.whenFinished(result -> enqueue(() -> afterRun(result)));
        this.notifier = new AlertNotifier(settings, store, chatPorts, pendingButtons, clock, this::running);
    }

    /**
     * Watches the stack (this replica leads): the open alerts are read from the store first, so one
     * another replica announced is not announced again, and the stack's state is read at once, so a
     * failure that began while nobody watched is alerted.
     */
    public synchronized void watch() {
        if (watching) return;
        book = call(() -> new AlertBook(store, stack.name(), settings, deploys));
        watching = true;
        if (settings.dockerHealth()) {
            events = new EventWatcher(watch, stack.load().name(), settings.reconnectAfter(), new EventWatcher.Listener() {
                @Override
                public void onEvent(DockerEvent event) {
                    enqueue(() -> onDockerEvent(event));
                }

                @Override
                public void onConnected(boolean reconnected) {
                    if (reconnected) reported.reconnected();
                    enqueue(HealthMonitor.this::reconcileAll);
                }
            });
            events.start();
            scheduled.add(loop.scheduleWithFixedDelay(this::reconcileAll, settings.reconcileEvery().toMillis(),
                    settings.reconcileEvery().toMillis(), TimeUnit.MILLISECONDS));
        }
        probes = new ProbeScheduler(runnable, settings.thresholds(), clock);
        probes.start(o -> enqueue(() -> observe(o)));
        scheduled.add(loop.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Stops watching (another replica leads, or this one may no longer be sure it does): once this
     * returns, the monitor alerts nothing until it watches again.
     */
    public synchronized void standBy() {
        if (!watching) return;
        watching = false;
        scheduled.forEach(f -> f.cancel(false));
        scheduled.clear();
        if (events != null) events.close();
        events = null;
        if (probes != null) probes.close();
        probes = null;
        // Work already on the monitor's thread finishes first; what comes after finds it standing by.
        try {
            loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.debug("the health monitor's thread did not settle: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this replica watches the stack now. */
    public boolean watching() {
        return watching;
    }

    /** The Acknowledge button of an alert was pressed (the dispatcher checked the presser's role). */
    public void acknowledge(Origin origin, long id) {
        if (!watching) {
            acknowledgeLater(origin, id);
            return;
        }
        Optional<AlertChange> change = call(() -> book.acknowledge(id, origin.user().name(), clock.instant()).map(c -> {
            notifier.show(c);
            return c;
        }));
        if (change.isEmpty()) nothingToAcknowledge(origin, store.find(id));
    }

    /** On a replica that does not watch: the acknowledgement waits in the store for the one that does (within a second). */
    private void acknowledgeLater(Origin origin, long id) {
        Optional<AlertRecord> a = store.find(id);
        if (a.isEmpty() || !a.get().open() || a.get().acknowledged()) {
            nothingToAcknowledge(origin, a);
            return;
        }
        store.requestAcknowledgement(new AlertStore.AckRequest(id, origin.user().name(), clock.instant()));
    }

    private void nothingToAcknowledge(Origin origin, Optional<AlertRecord> a) {
        String why = a.isEmpty() ? "This alert is unknown."
                : !a.get().open() ? "It was resolved at " + a.get().resolvedAt() + "."
                : "It was acknowledged by " + a.get().ackedBy() + ".";
        whisper(origin, Message.of(Tone.INFO, "Nothing to acknowledge", why));
    }

    /** Acknowledgements given on replicas that do not watch, applied here as if pressed here. */
    private void applyAcknowledgements() {
        for (AlertStore.AckRequest r : store.acknowledgementsRequested()) {
            book.acknowledge(r.alertId(), r.ackedBy(), r.at()).ifPresent(this::show);
            store.acknowledgementApplied(r.alertId());
        }
    }

    /** The open alerts, oldest first (from the store where this replica does not watch). */
    public List<AlertRecord> openAlerts() {
        return watching ? call(() -> book.open()) : store.open(stack.name());
    }

    public AlertCommands commands() {
        return commands;
    }

    Stack stack() {
        return stack;
    }

    AlertStore store() {
        return store;
    }

    Clock clock() {
        return clock;
    }

    /** The event stream, for tests that break it. */
    EventWatcher events() {
        return events;
    }

    private void onDockerEvent(DockerEvent e) {
        ContainerChecks.Reaction reaction = containers.onEvent(e);
        for (Observation o : reaction.observations()) observe(o);
        Duration again = reaction.readAgainIn();
        if (again == null) return;
        if (again.isZero()) reconcile(e.service());
        else loop.schedule(() -> reconcile(e.service()), again.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconcileAll() {
        reconcile(null);
    }

    /** Reads the state of {@code service}'s containers again (null: of every service) and judges it. */
    private void reconcile(String service) {
        if (!watching) return;
        try {
            // While a run of the bot holds the stack, containers stop and start on purpose.
            boolean deploying = locks.held(stack.name()).isPresent();
            for (Observation o : containers.reconcile(!deploying, service)) observe(o);
        } catch (DockerUnavailableException e) {
            LOG.debug("cannot read the containers of {}: {}", stack.name(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("reading the containers of {} failed: {}", stack.name(), e.toString());
        }
    }

    /** Once a run ends, its services are read again: at once after a success, after the wait when it failed. */
    private void afterRun(RunResult run) {
        if (!watching) return;
        Duration wait = fold.ended(run, clock.instant());
        if (settings.dockerHealth()) loop.schedule(this::reconcileAll, wait.toMillis() + AFTER_RUN_MARGIN.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void observe(Observation o) {
        if (!watching) return;
        try {
            boolean held = fold.holds(o, clock.instant());
            book.observe(o, held || muted(o.service())).ifPresent(this::show);
        } catch (RuntimeException e) {
            LOG.warn("alerting on {} {} failed: {}", o.service(), o.check(), e.toString());
        }
    }

    private void tick() {
        if (!watching) return;
        try {
            applyAcknowledgements();
            List<AlertStore.Mute> mutes = store.mutes(stack.name(), clock.instant());
            for (AlertChange c : book.tick(clock.instant(), s -> mutes.stream().anyMatch(m -> m.service().equals(s)))) show(c);
        } catch (RuntimeException e) {
            LOG.warn("alert reminders failed: {}", e.toString());
        }
    }

    private void show(AlertChange change) {
        AlertNotifier n = notifier;
        if (n == null) return;
        if (n.show(change)) {
            book.posted(change.alert(), clock.instant());
            reported.posted(change.alert(), clock.instant());
        }
        LOG.info("alert #{} {}: {}", change.alert().id(), change.kind().name().toLowerCase(), AlertMessages.subject(change.alert()));
    }

    /** What the service's container runs now, for its alert; null without one, or when the engine cannot tell. */
    private String running(String service) {
        try {
            ComposeProject project = stack.load();
            RunningImage r = RunningImage.of(project, watch.containers(project.name())).get(service);
            return r == null || r.container() == null ? null : r.describe();
        } catch (RuntimeException e) {
            LOG.debug("what {} runs cannot be read: {}", service, e.toString());
            return null;
        }
    }

    boolean muted(String service) {
        return store.mutes(stack.name(), clock.instant()).stream().anyMatch(m -> m.service().equals(service));
    }

    /** Hands work to the monitor's thread; once it is closed, work that still arrives (a probe finishing) is dropped. */
    private void enqueue(Runnable work) {
        try {
            loop.execute(work);
        } catch (RejectedExecutionException e) {
            LOG.debug("the health monitor is closed; dropped late work");
        }
    }

    /** Runs {@code work} on the monitor's thread and waits for it. */
    <T> T call(Callable<T> work) {
        try {
            return loop.submit(work).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the health monitor is busy; try again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void whisper(Origin origin, Message message) {
        ports.whisper(origin, message);
    }

    @Override
    public void close() {
        standBy();
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
