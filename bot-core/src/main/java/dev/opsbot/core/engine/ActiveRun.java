package dev.opsbot.core.engine;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.compose.ComposeException;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ImagePinner;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.DockerUnavailableException;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.runbook.Operations;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.Template;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.stream.LiveRelay;
import dev.opsbot.core.stream.OutputSink;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One run in progress: the state of its steps, its live message, and the context its steps see. */
final class ActiveRun implements StepContext {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final RunEngine engine;
    private final long id;
    private final RunRequest request;
    private final ChatPort port;
    private final Template template;
    private final Instant started;
    private final List<ImagePinner.Change> changes = new ArrayList<>();
    private final List<String> doneSteps = new ArrayList<>();
    private final List<String> softFailures = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    private volatile String stepLine = "starting";
    private volatile String cancelledBy;
    private volatile boolean healthVerified;
    private volatile long deadline = NO_DEADLINE;
    private volatile Duration stepTimeout;
    private volatile RunStatus status = RunStatus.RUNNING;
    private volatile String summary = "";
    private volatile CompletableFuture<Integer> pendingQuestion;
    private volatile CompletableFuture<?> pendingForm;
    private LiveRelay relay;
    private MessageRef live;

    ActiveRun(RunEngine engine, long id, RunRequest request, ChatPort port) {
        this.engine = engine;
        this.id = id;
        this.request = request;
        this.port = port;
        this.template = new Template(request.params());
        this.started = engine.clock.instant();
        this.stepTimeout = request.runbook().stepTimeout();
    }

    RunEngine.ActiveRunView view() {
        return new RunEngine.ActiveRunView(id, request.invocation(), request.origin().user().name(),
                request.origin().user().key(), stepLine, started);
    }

    void cancel(String by) {
        cancelledBy = by;
        CompletableFuture<Integer> q = pendingQuestion;
        if (q != null) q.cancel(false);
        CompletableFuture<?> f = pendingForm;
        if (f != null) f.cancel(false);
    }

    RunResult execute(MessageRef liveMessage) {
        this.live = liveMessage;
        relay = new LiveRelay(port, live, engine.redactor, this::render,
                engine.logDir.resolve("run-" + id + ".log"), engine.relayTicker);
        List<Step> steps = request.runbook().steps();
        String failure = null;
        try {
            if (request.startStep() > 0) {
                relay.line("resuming at step " + (request.startStep() + 1) + "/" + steps.size()
                        + (request.takesOverFrom() == null ? "" : " of interrupted run #" + request.takesOverFrom()));
            }
            for (int i = request.startStep(); i < steps.size() && failure == null; i++) {
                if (cancelledBy != null) {
                    summary = "Cancelled by " + cancelledBy + " before step " + (i + 1) + "/" + steps.size() + ". " + stateNow(i, steps);
                    status = RunStatus.CANCELLED;
                    break;
                }
                failure = runTopLevel(i, steps);
            }
            // The summary is written before the status: a live update in between must not show a bare "Succeeded".
            if (status == RunStatus.RUNNING) {
                if (failure != null) {
                    status = RunStatus.FAILED;
                } else if (!softFailures.isEmpty()) {
                    summary = "Finished with " + softFailures.size() + " failed check(s): " + String.join("; ", softFailures);
                    failure = summary;
                    status = RunStatus.FAILED;
                } else {
                    summary = successSummary();
                    status = RunStatus.SUCCEEDED;
                }
            }
        } catch (RuntimeException e) {
            failure = "unexpected error: " + e;
            summary = failure;
            status = RunStatus.FAILED;
        }
        // Records and the lock first: once the channel reads "finished", the next change may start.
        String recordProblem = null;
        try {
            finishRecords();
        } catch (RuntimeException e) {
            recordProblem = e.getMessage();
        } finally {
            if (request.runbook().mutates()) engine.locks.release(engine.stack.name(), id);
        }
        relay.touch();
        relay.finish();
        if (recordProblem != null) {
            port.reply(live, Message.of(Tone.WARNING, "Run #" + id + " could not be recorded", recordProblem));
        }
        try {
            port.attach(live, "opsbot-run-" + id + "-" + request.runbook().name() + ".log", relay.logFile());
        } catch (RuntimeException e) {
            port.reply(live, Message.of(Tone.WARNING, "The full log could not be attached", e.getMessage()));
        }
        return new RunResult(id, request, status, changes, healthVerified, failure, live, relay.logFile());
    }

    /** Runs step i; returns null when the run may go on, or the failure that stops it. */
    private String runTopLevel(int i, List<Step> steps) {
        Step step = steps.get(i);
        String title = step.title(template);
        stepLine = (i + 1) + "/" + steps.size() + " " + title;
        engine.runs.stepStarted(id, i + 1, title);
        relay.line("▶ [" + (i + 1) + "/" + steps.size() + "] " + title);
        relay.touch();
        String problem = runBounded(step);
        if (problem == null) {
            engine.runs.stepEnded(id, i + 1, "SUCCEEDED", "");
            doneSteps.add(title);
            return null;
        }
        relay.line("✖ " + problem);
        engine.runs.stepEnded(id, i + 1, "FAILED", problem);
        if (step.continueOnFailure()) {
            softFailures.add(title + ": " + problem);
            return null;
        }
        if (cancelledBy != null) {
            summary = "Cancelled by " + cancelledBy + " during step " + (i + 1) + "/" + steps.size() + " (" + title + ").\n" + stateNow(i, steps);
            status = RunStatus.CANCELLED;
        } else {
            summary = "Failed at step " + (i + 1) + "/" + steps.size() + " (" + title + "): " + problem + "\n" + stateNow(i, steps);
        }
        return problem;
    }

    /** Runs a step on its own thread within its timeout; returns null on success or what went wrong. */
    private String runBounded(Step step) {
        Duration timeout = step.timeout() != null ? step.timeout() : request.runbook().stepTimeout();
        Duration previous = stepTimeout;
        stepTimeout = timeout;
        long previousDeadline = deadline;
        deadline = System.nanoTime() + timeout.toNanos() + Duration.ofSeconds(10).toNanos();
        Future<?> work = engine.stepThreads.submit(() -> {
            step.run(this);
            return null;
        });
        try {
            while (true) {
                try {
                    work.get(250, TimeUnit.MILLISECONDS);
                    return null;
                } catch (TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        work.cancel(true);
                        return "took longer than " + Durations.human(timeout) + " and was stopped";
                    }
                }
            }
        } catch (ExecutionException e) {
            return describe(e.getCause());
        } catch (InterruptedException e) {
            work.cancel(true);
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            stepTimeout = previous;
            deadline = previousDeadline;
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof StepFailedException || e instanceof DockerException || e instanceof ComposeException) {
            return e.getMessage();
        }
        if (e instanceof CancellationException) return "cancelled";
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** What is true of the host after the failing step: what was done, what the file pins, what runs. */
    private String stateNow(int failedIndex, List<Step> steps) {
        StringBuilder out = new StringBuilder();
        out.append("Done before: ").append(doneSteps.isEmpty() ? "nothing" : String.join("; ", doneSteps)).append('.');
        List<String> notDone = new ArrayList<>();
        for (int j = failedIndex + 1; j < steps.size(); j++) notDone.add(steps.get(j).title(template));
        if (!notDone.isEmpty()) out.append("\nNot done: ").append(String.join("; ", notDone)).append('.');
        if (!changes.isEmpty()) {
            out.append("\nThe compose file now pins ");
            out.append(String.join(", ", changes.stream().map(c -> c.service() + " " + ImageRef.parse(c.after()).tag()).toList()));
            out.append('.');
        }
        try {
            List<ServiceContainer> ps = engine.docker.ps(project());
            if (!ps.isEmpty()) {
                out.append("\nRunning now: ");
                out.append(String.join(", ", ps.stream().filter(c -> !c.oneOff())
                        .map(c -> c.service() + " " + ImageRef.parse(c.image()).tag() + " (" + (c.health().isEmpty() ? c.state() : c.health()) + ")")
                        .toList()));
                out.append('.');
            }
        } catch (RuntimeException e) {
            out.append("\nThe containers cannot be listed: ").append(e.getMessage());
        }
        return out.toString();
    }

    private String successSummary() {
        StringBuilder s = new StringBuilder("Done in " + Durations.human(Duration.between(started, engine.clock.instant())) + ".");
        List<ImagePinner.Change> real = changes.stream().filter(c -> !c.before().equals(c.after())).toList();
        if (!real.isEmpty()) {
            s.append(' ').append(String.join(", ", real.stream().map(c -> c.service() + " "
                    + ImageRef.parse(c.before()).tag() + " -> " + ImageRef.parse(c.after()).tag()).toList())).append('.');
        }
        if (healthVerified) s.append(" Health verified.");
        return s.toString();
    }

    private void finishRecords() {
        engine.runs.finish(id, status, summary);
        String outcome = status.name().toLowerCase(java.util.Locale.ROOT);
        for (ImagePinner.Change c : changes) {
            engine.deploys.record(id, engine.stack.name(), c.service(), ImageRef.parse(c.before()).tag(),
                    ImageRef.parse(c.after()).tag(), request.origin().user().key(), request.approvedBy(), outcome, healthVerified);
        }
        engine.audit.append(request.origin().user().key(), request.origin().channel().toString(), "run.finish",
                "#" + id + " " + request.invocation(), outcome + (summary.isEmpty() ? "" : ": " + firstLine(summary)));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    Message render(String tail) {
        RunStatus s = status;
        Tone tone = switch (s) {
            case RUNNING -> Tone.PROGRESS;
            case SUCCEEDED -> Tone.SUCCESS;
            case CANCELLED, INTERRUPTED -> Tone.WARNING;
            case FAILED -> Tone.FAILURE;
        };
        String verb = switch (s) {
            case RUNNING -> "Running";
            case SUCCEEDED -> "Succeeded";
            case FAILED -> "Failed";
            case CANCELLED -> "Cancelled";
            case INTERRUPTED -> "Interrupted";
        };
        Message.Builder b = Message.builder(tone, verb + ": " + request.invocation() + " (run #" + id + ")")
                .field("Requested by", request.origin().user().name());
        if (request.approvedBy() != null) b.field("Confirmed by", request.approvedBy());
        b.field("Step", s == RunStatus.RUNNING ? stepLine : stepLine + " (" + verb.toLowerCase(java.util.Locale.ROOT) + ")");
        if (!summary.isEmpty()) b.line(summary);
        return b.code(tail).context("Stack " + engine.stack.name() + " · started " + CLOCK.format(started)
                + (s == RunStatus.RUNNING ? " · /ops cancel " + id : "")).build();
    }

    // --- StepContext ---

    @Override
    public ComposeProject project() {
        return engine.stack.load();
    }

    @Override
    public DockerHost docker() {
        return engine.docker;
    }

    @Override
    public dev.opsbot.core.swarm.SwarmHost swarm() throws dev.opsbot.core.runbook.StepFailedException {
        if (engine.swarm == null) return StepContext.super.swarm();
        return engine.swarm;
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
        return stepTimeout;
    }

    @Override
    public synchronized void recordChange(ImagePinner.Change change) {
        changes.add(change);
    }

    @Override
    public void healthVerified() {
        healthVerified = true;
    }

    @Override
    public int choose(String question, List<String> options, List<Boolean> dangerous, Duration wait, int fallback)
            throws InterruptedException {
        List<PendingButtons.Choice> choices = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            choices.add(new PendingButtons.Choice(options.get(i),
                    dangerous.get(i) ? Button.Style.DANGER : Button.Style.DEFAULT, id + ":" + i));
        }
        PendingButtons.Offer offer = engine.buttons.offer(ButtonKind.CHOICE, choices, request.origin().user(),
                request.origin().channel(), wait);
        CompletableFuture<Integer> answer = engine.question(offer.groupId());
        pendingQuestion = answer;
        Message asking = Message.builder(Tone.WARNING, "Run #" + id + " asks: " + question)
                .line(request.origin().user().name() + ", choose within " + Durations.human(wait)
                        + (fallback >= 0 ? " (then: " + options.get(fallback) + ")" : "") + ".")
                .build().withButtons(offer.buttons());
        MessageRef asked = port.post(request.origin().channel(), asking);
        engine.buttons.posted(offer, asked);
        relay.line("? " + question + " [" + String.join(" / ", options) + "]");
        long savedDeadline = deadline;
        deadline = NO_DEADLINE;
        String previousStep = stepLine;
        stepLine = previousStep + " (waiting for an answer)";
        relay.touch();
        try {
            int chosen = answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            port.update(asked, asking.withoutButtons().withCode("Answered: " + options.get(chosen)));
            return chosen;
        } catch (TimeoutException e) {
            if (fallback < 0) {
                port.update(asked, asking.withoutButtons().withCode("No answer in time."));
                throw new CancellationException("no answer within " + Durations.human(wait));
            }
            port.update(asked, asking.withoutButtons().withCode("No answer in time: " + options.get(fallback)));
            return fallback;
        } catch (CancellationException e) {
            port.update(asked, asking.withoutButtons().withCode("Run cancelled."));
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            engine.forget(offer.groupId());
            pendingQuestion = null;
            stepLine = previousStep;
            deadline = savedDeadline == NO_DEADLINE ? NO_DEADLINE : System.nanoTime() + stepTimeout.toNanos();
        }
    }

    @Override
    public void runNested(List<Step> steps) throws Exception {
        for (Step step : steps) {
            if (cancelledBy != null) throw new CancellationException("cancelled by " + cancelledBy);
            String title = step.title(template);
            relay.line("  ▷ " + title);
            String problem = runBounded(step);
            if (problem != null) throw new StepFailedException(title + ": " + problem);
        }
    }

    // --- release and secrets (docs/release-and-secrets.md) ---

    @Override
    public Operations operations() {
        return new Operations() {
            @Override
            public dev.opsbot.core.git.ReleaseSettings release() {
                return engine.release;
            }

            @Override
            public dev.opsbot.core.secrets.SecretSettings secrets() {
                return engine.secrets;
            }

            @Override
            public String requester() {
                return request.origin().user().name();
            }

            @Override
            public long runId() {
                return id;
            }

            @Override
            public void post(Message message) {
                port.reply(live, message);
            }

            @Override
            public void audit(String action, String detail, String outcome) {
                engine.audit.append(request.origin().user().key(), request.origin().channel().toString(), action, detail, outcome);
            }

            @Override
            public java.util.Optional<String> askSecret(String variable, Duration wait) throws InterruptedException {
                long savedDeadline = deadline;
                deadline = NO_DEADLINE;
                String previousStep = stepLine;
                stepLine = previousStep + " (waiting for " + variable + ")";
                relay.touch();
                try {
                    return engine.secretForms().ask(request, id, variable, wait, f -> pendingForm = f);
                } catch (TimeoutException e) {
                    return java.util.Optional.of("");
                } finally {
                    pendingForm = null;
                    stepLine = previousStep;
                    deadline = savedDeadline == NO_DEADLINE ? NO_DEADLINE : System.nanoTime() + stepTimeout.toNanos();
                }
            }
        };
    }
}
