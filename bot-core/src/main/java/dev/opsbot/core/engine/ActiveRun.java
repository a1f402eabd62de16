package dev.opsbot.core.engine;

import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.runbook.Operations;
import dev.opsbot.core.runbook.StackFiles;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.stream.LiveRelay;
import dev.opsbot.core.stream.OutputSink;
import dev.opsbot.core.swarm.SwarmHost;
import dev.opsbot.core.telemetry.LogContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run in progress: the state of its steps, its live message, the context its steps see, and,
 * for a mutating run, what the health monitor sees of the services it changes or checks.
 */
final class ActiveRun implements StepContext, RunInProgress {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveRun.class);

    private final RunEngine engine;
    private final RunServices services;
    private final long id;
    private final RunRequest request;
    private final ChatPort port;
    private final Template template;
    private final Instant started;
    private final RunMessage message;
    private final long startedNanos = System.nanoTime();
    private final RunLedger ledger = new RunLedger();
    private final Set<String> scope;
    private final MonitorNotes monitorNotes = new MonitorNotes();
    private final StepTimer timer;
    private final StackFiles files;
    /** How long the engine may stay away after a run failed without it before the channel is told it still does not answer. */
    private static final Duration ENGINE_PATIENCE = Duration.ofMinutes(2);
    final CompletableFuture<Void> done = new CompletableFuture<>();

    private volatile String stepLine = "starting";
    private volatile String cancelledBy;
    private volatile boolean fenced;
    private volatile RunStatus status = RunStatus.RUNNING;
    private volatile String summary = "";
    private volatile CompletableFuture<Integer> pendingQuestion;
    private volatile CompletableFuture<?> pendingForm;
    private volatile LiveRelay relay;
    private MessageRef live;

    ActiveRun(RunEngine engine, RunServices services, long id, RunRequest request, ChatPort port) {
        this.engine = engine;
        this.services = services;
        this.id = id;
        this.request = request;
        this.port = port;
        this.template = new Template(request.params());
        this.started = services.clock().instant();
        this.message = new RunMessage(id, request, services.stack().name(), started);
        this.timer = new StepTimer(engine.stepThreads(), request.runbook().stepTimeout());
        this.scope = request.runbook().mutates() ? RunScope.of(request.runbook(), template, services.stack()) : Set.of();
        this.files = StackFiles.of(services.stack().composeFile(), services.secrets(), "run #" + id + " started");
    }

    /** Whether this run changes or checks {@code service}, so what the health monitor sees of it belongs here. */
    boolean changes(String service) {
        return scope.contains(service);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String invocation() {
        return request.invocation();
    }

    @Override
    public void observed(CheckResult result) {
        LiveRelay r = relay;
        if (monitorNotes.add(result) && r != null) r.touch();
    }

    RunEngine.ActiveRunView view() {
        return new RunEngine.ActiveRunView(id, request.invocation(), request.origin().user().name(),
                request.origin().user().key(), stepLine, started);
    }

    /** Whether the run waits for a person's answer or form (not for a step's work). */
    boolean waitingForPerson() {
        return pendingQuestion != null || pendingForm != null;
    }

    void cancel(String by) {
        cancelledBy = by;
        stopWaiting();
    }

    /** A cancel asked on another replica: applied unless the run was cancelled already. */
    void cancelRequested(String by) {
        if (cancelledBy == null) cancel(by);
    }

    /**
     * Another replica reported this run interrupted (this one lost the database for longer than a
     * lease): the run stops before its next step and records nothing more, as a crash would.
     */
    void fence() {
        fenced = true;
        stopWaiting();
    }

    private void stopWaiting() {
        CompletableFuture<Integer> q = pendingQuestion;
        if (q != null) q.cancel(false);
        CompletableFuture<?> f = pendingForm;
        if (f != null) f.cancel(false);
    }

    RunResult execute(MessageRef liveMessage) {
        this.live = liveMessage;
        relay = new LiveRelay(port, live, services.redactor(), this::render,
                services.logDir().resolve("run-" + id + ".log"), engine.relayTicker());
        List<Step> steps = request.runbook().steps();
        String failure = null;
        try {
            if (request.startStep() > 0) {
                relay.line("resuming at step " + (request.startStep() + 1) + "/" + steps.size()
                        + (request.takesOverFrom() == null ? "" : " of interrupted run #" + request.takesOverFrom()));
            }
            for (int i = request.startStep(); i < steps.size() && failure == null; i++) {
                if (cancelledBy == null) RunHeartbeat.cancelAsked(services.runs(), id).ifPresent(this::cancelRequested);
                if (cancelledBy != null) {
                    summary = "Cancelled by " + cancelledBy + " before step " + (i + 1) + "/" + steps.size() + ". " + ledger.stateAfter(i, steps, template, () -> project().services().keySet(), () -> services.docker().ps(project()));
                    status = RunStatus.CANCELLED;
                    break;
                }
                if (engine.stopping()) return leftForRestart(i, steps, true);
                if (fenced) return fencedOff(i, steps);
                failure = runTopLevel(i, steps);
                if (fenced) return fencedOff(failure == null ? i + 1 : i, steps);
            }
            // The summary is written before the status: a live update in between must not show a bare "Succeeded".
            if (status == RunStatus.RUNNING) {
                if (failure != null) {
                    status = RunStatus.FAILED;
                } else if (!ledger.softFailures().isEmpty()) {
                    List<String> soft = ledger.softFailures();
                    summary = "Finished with " + soft.size() + " failed check(s): " + String.join("; ", soft);
                    failure = summary;
                    status = RunStatus.FAILED;
                } else {
                    summary = ledger.success(Duration.between(started, services.clock().instant()));
                    status = RunStatus.SUCCEEDED;
                }
            }
        } catch (CutOff e) {
            return leftForRestart(e.index(), steps, false);
        } catch (RuntimeException e) {
            failure = "unexpected error: " + e;
            summary = failure;
            status = RunStatus.FAILED;
        }
        String seen = monitorNotes.text();
        if (!seen.isEmpty()) summary = summary + "\nThe health monitor saw during the run:\n" + seen;
        new RunClosing(engine, services, id, request, port).close(status, summary, failure, ledger.isHealthVerified(),
                Duration.ofNanos(System.nanoTime() - startedNanos), live, relay);
        if (ledger.engineAway()) new EngineReturn(services.docker(), this::project, port, live, id, engine::closing).awaitAndTell(ENGINE_PATIENCE);
        return new RunResult(id, request, status, ledger.changes(), ledger.isHealthVerified(), failure, live, relay.logFile(), scope);
    }

    /**
     * The bot is stopping: the run ends here as a crash would leave it, still running in the
     * records at step {@code index + 1} with its lock held, so that the next start reports it and
     * offers to resume it at that step. {@code before}: the step had not started (the one before
     * it ended within the grace period); otherwise the engine closed while it ran.
     */
    private RunResult leftForRestart(int index, List<Step> steps, boolean before) {
        String title = steps.get(index).title(template);
        String where = (index + 1) + "/" + steps.size() + " (" + title + ")";
        if (before) services.runs().stepStarted(id, index + 1, title);
        // Nobody runs it now: with replicas, the leader reports it at once instead of when its heartbeat is stale.
        services.runs().letGo(id);
        stepLine = (index + 1) + "/" + steps.size() + " " + title;
        LOG.info("run stopped for a restart {} step {}; the next start reports it", before ? "before" : "during", where);
        return interrupted("opsbot stopped for a restart " + (before ? "before" : "during") + " step " + where
                + ". When it is back it reports the run here" + (request.runbook().mutates() ? ", with Resume at that step." : "."));
    }

    /**
     * Another replica reported the run interrupted: it ends here, after {@code done} steps, as a crash
     * would leave it (its lock held for the Resume or Roll back offered with that report).
     */
    private RunResult fencedOff(int done, List<Step> steps) {
        LOG.warn("run was reported interrupted by another replica; stopping after step {}/{}", done, steps.size());
        return interrupted("This replica lost the database for too long and another one reported the run as interrupted after step "
                + done + "/" + steps.size() + ": it stopped there. Resume or roll back with the buttons of that report.");
    }

    /** The run ends without records: its row stays as the restart (or the other replica's report) leaves it. */
    private RunResult interrupted(String why) {
        // The run thread may have been interrupted: the last words must still reach the channel.
        Thread.interrupted();
        summary = why;
        status = RunStatus.INTERRUPTED;
        relay.touch();
        relay.finish();
        return new RunResult(id, request, status, ledger.changes(), ledger.isHealthVerified(), summary, live, relay.logFile(), scope);
    }

    /** Runs step i; returns null when the run may go on, or the failure that stops it. */
    private String runTopLevel(int i, List<Step> steps) {
        Step step = steps.get(i);
        String title = step.title(template);
        stepLine = (i + 1) + "/" + steps.size() + " " + title;
        services.runs().stepStarted(id, i + 1, title);
        relay.line("▶ [" + (i + 1) + "/" + steps.size() + "] " + title);
        relay.touch();
        String problem = runBounded(step, "step " + (i + 1) + "/" + steps.size() + ": " + title);
        if (engine.closing()) throw new CutOff(i);
        if (problem == null) {
            services.runs().stepEnded(id, i + 1, "SUCCEEDED", "");
            ledger.stepDone(title);
            return null;
        }
        relay.line("✖ " + problem);
        services.runs().stepEnded(id, i + 1, "FAILED", problem);
        if (step.continueOnFailure()) {
            ledger.softFailure(title + ": " + problem);
            return null;
        }
        if (cancelledBy != null) {
            summary = "Cancelled by " + cancelledBy + " during step " + (i + 1) + "/" + steps.size() + " (" + title + ").\n" + ledger.stateAfter(i, steps, template, () -> project().services().keySet(), () -> services.docker().ps(project()));
            status = RunStatus.CANCELLED;
        } else {
            summary = "Failed at step " + (i + 1) + "/" + steps.size() + " (" + title + "): " + problem + "\n" + ledger.stateAfter(i, steps, template, () -> project().services().keySet(), () -> services.docker().ps(project()));
        }
        return problem;
    }

    /**
     * Runs a step on its own thread within its timeout and counts it by kind; returns null on
     * success or what went wrong. The step's thread logs under the run's context, first {@code label}.
     */
    private String runBounded(Step step, String label) {
        long startedNanos = System.nanoTime();
        String problem = runOnStepThread(step, label);
        RunStatus result = problem == null ? RunStatus.SUCCEEDED : cancelledBy != null ? RunStatus.CANCELLED : RunStatus.FAILED;
        if (!engine.closing()) {
            services.telemetry().stepFinished(step.kind(), result.name().toLowerCase(Locale.ROOT),
                    Duration.ofNanos(System.nanoTime() - startedNanos));
        }
        return problem;
    }

    private String runOnStepThread(Step step, String label) {
        Duration timeout = step.timeout() != null ? step.timeout() : request.runbook().stepTimeout();
        return timer.run(timeout, () -> {
            try (LogContext context = LogContext.of(String.valueOf(id), services.environment(), request.origin().user().key())) {
                LOG.info("{}", label);
                if (step.appliesStackFiles()) files.refuseOutsideEdits();
                step.run(this);
            }
            return null;
        });
    }

    Message render(String tail) {
        return message.render(status, stepLine, summary, monitorNotes.text(), tail);
    }

    // --- StepContext ---

    @Override
    public ComposeProject project() {
        return services.stack().load();
    }

    @Override
    public DockerHost docker() {
        return services.docker();
    }

    @Override
    public SwarmHost swarm() throws StepFailedException {
        return services.swarm() != null ? services.swarm() : StepContext.super.swarm();
    }

    @Override
    public OutputSink out() {
        return relay;
    }

    @Override
    public Template template() {
        return template;
    }

    @Override
    public Duration timeout() {
        return timer.timeout();
    }

    /** The change goes into the deploy history at once: until the run ends it is the release in question ({@link KnownGood}). */
    @Override
    public void recordChange(ImagePinner.Change change) {
        ledger.changed(change);
        services.deploys().record(id, services.stack().name(), change.service(), ImageRef.parse(change.before()).tag(),
                ImageRef.parse(change.after()).tag(), request.origin().user().key(), request.approvedBy(), "running", false);
    }

    @Override
    public StackFiles stackFiles() {
        return files;
    }

    @Override
    public void healthVerified() {
        ledger.healthVerified();
    }

    @Override
    public int choose(String question, List<String> options, List<Boolean> dangerous, Duration wait, int fallback)
            throws InterruptedException {
        RunQuestion asked = RunQuestion.ask(engine, services, id, request, port, question, options, dangerous, wait, fallback);
        pendingQuestion = asked.answer();
        relay.line("? " + question + " [" + String.join(" / ", options) + "]");
        try {
            return whileWaiting("an answer", asked::await);
        } finally {
            pendingQuestion = null;
        }
    }

    /** Runs {@code body} with the step's deadline held: a person's answer does not count against the step's timeout. */
    private <T> T whileWaiting(String what, StepTimer.Waiting<T> body) throws InterruptedException {
        String previousStep = stepLine;
        stepLine = previousStep + " (waiting for " + what + ")";
        relay.touch();
        try {
            return timer.held(body);
        } finally {
            stepLine = previousStep;
        }
    }

    @Override
    public void runNested(List<Step> steps) throws Exception {
        for (Step step : steps) {
            if (cancelledBy != null) throw new CancellationException("cancelled by " + cancelledBy);
            String title = step.title(template);
            relay.line("  ▷ " + title);
            String problem = runBounded(step, "  then: " + title);
            if (problem != null) throw new StepFailedException(title + ": " + problem);
        }
    }

    // --- release and secrets (docs/release-and-secrets.md) ---

    @Override
    public Operations operations() {
        return new RunOperations(services, request, id, message -> port.reply(live, message), this::askSecret);
    }

    private Optional<String> askSecret(String variable, Duration wait) throws InterruptedException {
        try {
            return whileWaiting(variable, () -> {
                try {
                    return engine.secretForms().ask(request, id, variable, wait, f -> pendingForm = f);
                } catch (TimeoutException e) {
                    return Optional.of("");
                }
            });
        } finally {
            pendingForm = null;
        }
    }
}
