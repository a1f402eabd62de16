package dev.opsbot.core.engine;

import dev.opsbot.core.access.AccessDeniedException;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.telemetry.LogContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs runbooks: each run on its own thread, its steps one after another, each bounded by its
 * timeout, its output through a {@link dev.opsbot.core.stream.LiveRelay} to the live message,
 * its progress persisted so a crash is reported after restart. When the bot stops, runs stop
 * before their next step ({@link #stopBeforeNextSteps}); what is still in a step when the engine
 * closes is left exactly as a crash leaves it, and reported at the next start. The health monitor asks it which
 * run is changing a service ({@link RunsInProgress}).
 */
public final class RunEngine implements RunsInProgress, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);

    private final RunServices services;
    private final RunListener listener;
    private final ExecutorService stepThreads = Executors.newCachedThreadPool(named("opsbot-step"));
    private final ScheduledExecutorService relayTicker = Executors.newScheduledThreadPool(2, named("opsbot-relay"));
    private final ExecutorService runThreads = Executors.newCachedThreadPool(named("opsbot-run"));
    private final Map<Long, ActiveRun> active = new ConcurrentHashMap<>();
    /** Runs this replica recorded as its own, from the moment their row exists until they end: the heartbeat covers them. */
    private final Set<Long> owned = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(named("opsbot-heartbeat"));
    private final Map<String, CompletableFuture<Integer>> questions = new ConcurrentHashMap<>();
    private final List<RunListener> watchers = new CopyOnWriteArrayList<>();
    private final SecretForms secretForms;
    private volatile boolean stopping;
    private volatile boolean closing;

    public RunEngine(RunServices services, RunListener listener) {
        this.services = services;
        this.listener = listener;
        this.secretForms = new SecretForms(services.buttons(), services.ports(), services.audit());
        long every = services.replica().heartbeatEvery().toMillis();
        heartbeat.scheduleWithFixedDelay(new RunHeartbeat(services.runs(), services.replica().id(), owned, active), every, every,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the stack's lock (for runbooks that change something), posts the live message,
     * records the run, and starts it; returns the run id. Refused when another run holds the lock.
     */
    public long start(RunRequest request) {
        ChatPort port = services.ports().of(request.origin().channel());
        String requester = request.origin().user().key();
        long id = services.runs().start(request.runbook().name(), request.invocation(), request.params(),
                requester, request.origin().channel().toString(), request.runbook().steps().size(), services.replica().id());
        owned.add(id);
        ActiveRun run;
        MessageRef live;
        try {
            if (request.runbook().mutates()) lock(request, id);
            run = new ActiveRun(this, services, id, request, port);
            live = port.runsInThreads() && request.startedFrom() != null
                    ? port.reply(request.startedFrom(), run.render(""))
                    : port.post(request.origin().channel(), run.render(""));
            services.runs().liveMessage(id, live.id());
        } catch (RuntimeException e) {
            // Not started: no heartbeat keeps it, so a leader reports what is left of it.
            owned.remove(id);
            throw e;
        }
        services.audit().append(requester, request.origin().channel().toString(), "run.start", "#" + id + " " + request.invocation(), "started");
        active.put(id, run);
        runThreads.execute(() -> {
            RunResult result = null;
            try (LogContext context = LogContext.of(String.valueOf(id), services.environment(), requester)) {
                try {
                    LOG.info("run started: {}", request.invocation());
                    result = run.execute(live);
                    // A run stopped for a restart has no result yet: the next start reports it.
                    if (result.status() != RunStatus.INTERRUPTED) listener.finished(result);
                } catch (RuntimeException e) {
                    LOG.error("run #{} could not be finished cleanly", id, e);
                } finally {
                    active.remove(id);
                    owned.remove(id);
                    if (result != null && result.status() != RunStatus.INTERRUPTED) tellWatchers(result);
                    run.done.complete(null);
                }
            }
        });
        return id;
    }

    /** A run's records say how it ended (before its channel hears it): logged and counted. */
    void ended(RunRequest request, RunStatus result, String failure, Duration took) {
        String status = result.name().toLowerCase(Locale.ROOT);
        services.telemetry().runFinished(request.runbook().name(), status, took);
        if (result == RunStatus.FAILED) {
            LOG.warn("run failed after {}: {}", Durations.human(took), failure);
        } else {
            LOG.info("run {} after {}", status, Durations.human(took));
        }
    }

    /** The stack's lock for run {@code id}: taken over from the interrupted run it resumes, else acquired, else refused. */
    private void lock(RunRequest request, long id) {
        String stack = services.stack().name();
        String requester = request.origin().user().key();
        Instant now = services.clock().instant();
        boolean tookOver = request.takesOverFrom() != null
                && services.locks().transfer(stack, request.takesOverFrom(), id, requester, request.invocation(), now);
        if (tookOver) return;
        services.locks().acquire(stack, id, requester, request.invocation(), now).ifPresent(held -> {
            services.runs().finish(id, RunStatus.CANCELLED, "refused: the stack is locked by run #" + held.runId());
            throw new AccessDeniedException(LockMessages.busy(held));
        });
    }

    private void tellWatchers(RunResult result) {
        for (RunListener watcher : watchers) {
            try {
                watcher.finished(result);
            } catch (RuntimeException e) {
                LOG.warn("told of the end of run #{}, a watcher failed: {}", result.runId(), e.toString());
            }
        }
    }

    @Override
    public Optional<RunInProgress> changing(String service) {
        return active.values().stream().filter(r -> r.changes(service)).<RunInProgress>map(r -> r).findFirst();
    }

    @Override
    public void whenFinished(RunListener listener) {
        watchers.add(listener);
    }

    /** Asks a run to stop before its next step; false when no such run is active. */
    public boolean cancel(long runId, String by) {
        ActiveRun run = active.get(runId);
        if (run == null) return false;
        run.cancel(by);
        return true;
    }

    public Optional<ActiveRunView> active(long runId) {
        ActiveRun run = active.get(runId);
        return run == null ? Optional.empty() : Optional.of(run.view());
    }

    public List<ActiveRunView> activeRuns() {
        return active.values().stream().map(ActiveRun::view).toList();
    }

    /** The runs this replica runs now (by id), from the moment each is recorded: no other replica may report them. */
    public Set<Long> runningHere() {
        return Set.copyOf(owned);
    }

    /** What others may know of a running run. */
    public record ActiveRunView(long id, String invocation, String requestedBy, String requesterKey, String step, Instant since) { }

    /** Waits until no run is active (the console does this at the end of its input). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!active.isEmpty()) {
            for (ActiveRun run : List.copyOf(active.values())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    run.done.get(left, TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() >= deadline) return false;
                }
            }
        }
        return true;
    }

    /**
     * The bot is stopping: every run stops before its next step, left in the records as a crash
     * leaves it (running, at that step, its lock held) so the next start offers to resume it there.
     */
    public void stopBeforeNextSteps() {
        stopping = true;
    }

    /**
     * Waits until every active run has stopped or waits for a person (who will not be heard while
     * the bot stops); false when a step was still running at the end of {@code timeout}.
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (active.values().stream().anyMatch(r -> !r.waitingForPerson())) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return true;
    }

    boolean stopping() {
        return stopping;
    }

    /** The engine is closing: a run whose step is cut off now records nothing more. */
    boolean closing() {
        return closing;
    }

    /** Whether any active run waits for an answer (the console must not stop reading then). */
    public boolean waitingForAnswer() {
        return !questions.isEmpty();
    }

    CompletableFuture<Integer> question(String groupId) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        questions.put(groupId, answer);
        return answer;
    }

    void forget(String groupId) {
        questions.remove(groupId);
    }

    /** Delivers an answer to a waiting question; false when no run waits for it (any more). */
    public boolean answer(String groupId, int option) {
        CompletableFuture<Integer> q = questions.remove(groupId);
        return q != null && q.complete(option);
    }

    /** Private forms for secret values runs wait for; presses and submissions are handed here. */
    public SecretForms secretForms() {
        return secretForms;
    }

    ExecutorService stepThreads() {
        return stepThreads;
    }

    ScheduledExecutorService relayTicker() {
        return relayTicker;
    }

    /**
     * Stops the engine's threads. A run still in a step is cut off and left as a crash leaves it;
     * its thread gets a moment to say so in its live message.
     */
    @Override
    public void close() {
        closing = true;
        heartbeat.shutdownNow();
        runThreads.shutdownNow();
        stepThreads.shutdownNow();
        try {
            runThreads.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        relayTicker.shutdownNow();
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
