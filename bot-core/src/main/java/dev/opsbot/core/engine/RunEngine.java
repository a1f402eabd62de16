package dev.opsbot.core.engine;

import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.secrets.SecretSettings;
import dev.opsbot.core.store.AuditLog;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.RunStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Runs runbooks: each run on its own thread, its steps one after another, each bounded by its
 * timeout, its output through a {@link dev.opsbot.core.stream.LiveRelay} to the live message,
 * its progress persisted so a crash is reported after restart.
 */
public final class RunEngine implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunEngine.class);
    final Stack stack;
    final DockerHost docker;
    final SwarmHost swarm;
    final RunStore runs;
    final dev.opsbot.core.store.LockStore locks;
    final DeployStore deploys;
    final AuditLog audit;
    final ChatPorts ports;
    final UnaryOperator<String> redactor;
    final PendingButtons buttons;
    final Path logDir;
    final Clock clock;
    final ExecutorService stepThreads = Executors.newCachedThreadPool(named("opsbot-step"));
    final ScheduledExecutorService relayTicker = Executors.newScheduledThreadPool(2, named("opsbot-relay"));
    private final ExecutorService runThreads = Executors.newCachedThreadPool(named("opsbot-run"));
    private final Map<Long, ActiveRun> active = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Integer>> questions = new ConcurrentHashMap<>();
    private final RunListener listener;
    // release and secrets (docs/release-and-secrets.md)
    final ReleaseSettings release;
    final SecretSettings secrets;
    private final SecretForms secretForms;

    public RunEngine(Stack stack, DockerHost docker, RunStore runs, dev.opsbot.core.store.LockStore locks, DeployStore deploys,
                     AuditLog audit, ChatPorts ports,
                     UnaryOperator<String> redactor, PendingButtons buttons, Path logDir, Clock clock, RunListener listener) {
        this(stack, docker, runs, locks, deploys, audit, ports, redactor, buttons, logDir, clock, listener,
                ReleaseSettings.none(), SecretSettings.defaults());
    }

    public RunEngine(Stack stack, DockerHost docker, RunStore runs, dev.opsbot.core.store.LockStore locks, DeployStore deploys,
                     AuditLog audit, ChatPorts ports,
                     UnaryOperator<String> redactor, PendingButtons buttons, Path logDir, Clock clock, RunListener listener,
                     ReleaseSettings release, SecretSettings secrets) {
        this(stack, docker, null, runs, locks, deploys, audit, ports, redactor, buttons, logDir, clock, listener, release, secrets);
    }

    /** @param swarm the engine as a swarm manager, for the swarm steps; null where the stack is not a swarm stack */
    public RunEngine(Stack stack, DockerHost docker, SwarmHost swarm, RunStore runs, dev.opsbot.core.store.LockStore locks,
                     DeployStore deploys, AuditLog audit, ChatPorts ports,
                     UnaryOperator<String> redactor, PendingButtons buttons, Path logDir, Clock clock, RunListener listener,
                     ReleaseSettings release, SecretSettings secrets) {
        this.swarm = swarm;
        this.release = release;
        this.secrets = secrets;
        this.secretForms = new SecretForms(buttons, ports, audit);
        this.stack = stack;
        this.docker = docker;
        this.runs = runs;
        this.locks = locks;
        this.deploys = deploys;
        this.audit = audit;
        this.ports = ports;
        this.redactor = redactor;
        this.buttons = buttons;
        this.logDir = logDir;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Takes the stack's lock (for runbooks that change something), posts the live message,
     * records the run, and starts it; returns the run id. Refused when another run holds the lock.
     */
    public long start(RunRequest request) {
        ChatPort port = ports.of(request.origin().channel());
        long id = runs.start(request.runbook().name(), request.invocation(), PendingButtons.json(request.params()),
                request.origin().user().key(), request.origin().channel().toString(), request.runbook().steps().size());
        if (request.runbook().mutates()) {
            boolean tookOver = request.takesOverFrom() != null && locks.transfer(stack.name(), request.takesOverFrom(), id,
                    request.origin().user().key(), request.invocation(), clock.instant());
            if (!tookOver) {
                var held = locks.acquire(stack.name(), id, request.origin().user().key(), request.invocation(), clock.instant());
                if (held.isPresent()) {
                    runs.finish(id, dev.opsbot.core.store.RunStatus.CANCELLED, "refused: the stack is locked by run #" + held.get().runId());
                    throw new dev.opsbot.core.access.AccessDeniedException(LockMessages.busy(held.get()));
                }
            }
        }
        ActiveRun run = new ActiveRun(this, id, request, port);
        MessageRef live = port.runsInThreads() && request.startedFrom() != null
                ? port.reply(request.startedFrom(), run.render(""))
                : port.post(request.origin().channel(), run.render(""));
        runs.liveMessage(id, live.id());
        audit.append(request.origin().user().key(), request.origin().channel().toString(), "run.start",
                "#" + id + " " + request.invocation(), "started");
        active.put(id, run);
        runThreads.execute(() -> {
            try {
                RunResult result = run.execute(live);
                listener.finished(result);
            } catch (RuntimeException e) {
                LOG.error("run #{} could not be finished cleanly", id, e);
            } finally {
                active.remove(id);
                run.done.complete(null);
            }
        });
        return id;
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

    /** What others may know of a running run. */
    public record ActiveRunView(long id, String invocation, String requestedBy, String requesterKey, String step, java.time.Instant since) { }

    /** Waits until no run is active (the console does this at the end of its input). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!active.isEmpty()) {
            for (ActiveRun run : List.copyOf(active.values())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    run.done.get(left, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() >= deadline) return false;
                }
            }
        }
        return true;
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

    /** Private forms for secret values runs wait for; the dispatcher hands presses and submissions here. */
    public SecretForms secretForms() {
        return secretForms;
    }

    @Override
    public void close() {
        runThreads.shutdownNow();
        stepThreads.shutdownNow();
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
