package dev.opsbot.core.health;

import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.store.AlertRecord.State;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How an alert reads in a channel, at each point of its life. */
final class AlertMessages {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final int MAX_OUTPUT = 1500;

    private AlertMessages() {
    }

    /** "backend healthcheck" */
    static String subject(AlertRecord a) {
        return a.service() + " " + a.check();
    }

    /** The alert's message as it stands (buttons are added by the caller). */
    static Message render(AlertRecord a, Instant now) {
        return render(a, now, null);
    }

    /** The same, with what the service runs now ("file says sha-1a2b3c4, running 0.1.0 (sha256:…)"); null leaves it out. */
    static Message render(AlertRecord a, Instant now, String running) {
        Message.Builder b = switch (a.state()) {
            case RESOLVED -> Message.builder(Tone.SUCCESS, "Resolved: " + subject(a))
                    .line("Resolved after " + Durations.human(Duration.between(a.since(), a.resolvedAt())) + " (at " + CLOCK.format(a.resolvedAt()) + ").");
            case FLAPPING -> Message.builder(Tone.WARNING, "Flapping: " + subject(a))
                    .line("Failed " + a.occurrences() + " times since " + CLOCK.format(a.since()) + "; "
                            + (a.failing() ? "failing now." : "passing now; it closes after passing for a while."));
            case OPEN, ACKNOWLEDGED -> Message.builder(Tone.FAILURE, "Failing: " + subject(a))
                    .line("Failing since " + CLOCK.format(a.since()) + " (" + Durations.human(Duration.between(a.since(), now)) + ")"
                            + (a.occurrences() > 1 ? ", for the " + ordinal(a.occurrences()) + " time." : "."));
        };
        b.field("Service", a.service()).field("Check", a.check()).field("Severity", a.severity());
        if (running != null) b.field("Running", running);
        if (RecentDeploys.namesRun(a.deployNote())) b.line(Character.toUpperCase(a.deployNote().charAt(0)) + a.deployNote().substring(1) + ".");
        else if (a.deployNote() != null) b.field("Deployed just before", a.deployNote());
        if (a.acknowledged()) b.field("Acknowledged by", a.ackedBy() + " at " + CLOCK.format(a.ackedAt()));
        if (!a.lastOutput().isEmpty()) b.code(clip(a.lastOutput()));
        return b.context("Stack " + a.stack() + " · alert #" + a.id() + (a.state() == State.RESOLVED ? "" : " · last output above")).build();
    }

    static Message resolvedReply(AlertRecord a) {
        return Message.of(Tone.SUCCESS, "Recovered: " + subject(a),
                "Passing again after " + Durations.human(Duration.between(a.since(), a.resolvedAt())) + ".");
    }

    static Message reopenedReply(AlertRecord a) {
        return Message.of(a.state() == State.FLAPPING ? Tone.WARNING : Tone.FAILURE, "Failing again: " + subject(a),
                (a.state() == State.FLAPPING ? "Flapping: " : "") + ordinal(a.occurrences()) + " failure since " + CLOCK.format(a.since()) + ".");
    }

    static Message reminder(AlertRecord a, Instant now) {
        return Message.of(Tone.FAILURE, "Still failing: " + subject(a),
                "Failing for " + Durations.human(Duration.between(a.since(), now)) + " and nobody has acknowledged it.");
    }

    static Message acknowledgedReply(AlertRecord a) {
        return Message.of(Tone.INFO, "Acknowledged: " + subject(a), a.ackedBy() + " is on it. No more reminders.");
    }

    /** One line of /ops alerts. */
    static String line(AlertRecord a, Instant now) {
        return "#" + a.id() + "  " + subject(a) + "  " + a.state().name().toLowerCase() + (a.failing() ? "" : " (passing now)")
                + "  since " + CLOCK.format(a.since()) + " (" + Durations.human(Duration.between(a.since(), now)) + ")"
                + (a.acknowledged() ? "  ack " + a.ackedBy() : "");
    }

    private static String ordinal(int n) {
        int mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private static String clip(String s) {
        return s.length() <= MAX_OUTPUT ? s : s.substring(0, MAX_OUTPUT) + "…";
    }
}
