package dev.opsbot.core.engine;

import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.store.RunStatus;
import dev.opsbot.core.stream.LiveRelay;
import java.time.Duration;
import java.util.Locale;

/**
 * How a run that ended is made known, in an order that matters: its records and its lock first
 * (once the channel reads "finished", the next change may start), then its counters, its last
 * live message and its full log.
 */
final class RunClosing {
    private final RunEngine engine;
    private final RunServices services;
    private final long id;
    private final RunRequest request;
    private final ChatPort port;

    RunClosing(RunEngine engine, RunServices services, long id, RunRequest request, ChatPort port) {
        this.engine = engine;
        this.services = services;
        this.id = id;
        this.request = request;
        this.port = port;
    }

    void close(RunStatus status, String summary, String failure, boolean healthVerified, Duration took, MessageRef live, LiveRelay relay) {
        String recordProblem = null;
        try {
            record(status, summary, healthVerified);
        } catch (RuntimeException e) {
            recordProblem = e.getMessage();
        } finally {
            if (request.runbook().mutates()) services.locks().release(services.stack().name(), id);
        }
        engine.ended(request, status, failure, took);
        relay.touch();
        relay.finish();
        if (recordProblem != null) {
            port.reply(live, Message.of(Tone.WARNING, "Run #" + id + " could not be recorded", recordProblem));
        }
        relay.logProblem().ifPresent(problem -> port.reply(live, Message.of(Tone.WARNING, "Run #" + id + "'s log is incomplete",
                "The run went on, but " + problem + ". Its output is in the message above only as far as it shows; free space in "
                        + relay.logFile().toAbsolutePath().getParent() + " for the next runs' logs.")));
        try {
            port.attach(live, "opsbot-run-" + id + "-" + request.runbook().name() + ".log", relay.logFile());
        } catch (RuntimeException e) {
            port.reply(live, Message.of(Tone.WARNING, "The full log could not be attached", e.getMessage()));
        }
    }

    private void record(RunStatus status, String summary, boolean healthVerified) {
        services.runs().finish(id, status, summary);
        String outcome = status.name().toLowerCase(Locale.ROOT);
        services.deploys().finish(id, services.stack().name(), outcome, healthVerified);
        services.audit().append(request.origin().user().key(), request.origin().channel().toString(), "run.finish",
                "#" + id + " " + request.invocation(), outcome + (summary.isEmpty() ? "" : ": " + firstLine(summary)));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
