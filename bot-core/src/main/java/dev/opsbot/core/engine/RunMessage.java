package dev.opsbot.core.engine;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.store.RunStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How one run's live message reads: its state, who asked and confirmed, its step, what the monitor saw, its summary and the output's tail. */
record RunMessage(long id, RunRequest request, String stack, Instant started) {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** @param monitorNotes what the health monitor saw of the run's services while it ran ("" for nothing) */
    Message render(RunStatus s, String stepLine, String summary, String monitorNotes, String tail) {
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
        b.field("Step", s == RunStatus.RUNNING ? stepLine : stepLine + " (" + verb.toLowerCase(Locale.ROOT) + ")");
        if (s == RunStatus.RUNNING && !monitorNotes.isEmpty()) b.field("Health monitor", monitorNotes);
        if (!summary.isEmpty()) b.line(summary);
        return b.code(tail).context("Stack " + stack + " · started " + CLOCK.format(started)
                + (s == RunStatus.RUNNING ? " · /ops cancel " + id : "")).build();
    }
}
