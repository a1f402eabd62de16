package dev.opsbot.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert about one check of one service of one stack, as stored. {@code failing} says whether
 * the check is failing right now (a flapping alert stays open while it passes for a while);
 * {@code eventTimeNanos} is the Docker event time that opened it (null for probes), kept so the
 * delay from the engine's report to the message ({@code postedAt}) can be measured.
 */
public record AlertRecord(long id, String stack, String service, String check, String severity, State state,
                          boolean failing, Instant since, Long eventTimeNanos, Instant detectedAt, Instant postedAt,
                          String lastOutput, int occurrences, String deployNote, String rollbackTag,
                          String ackedBy, Instant ackedAt, Instant notifiedAt, Instant changedAt, Instant resolvedAt) {

    /** Where an alert is in its life; OK and FAILING-below-threshold are never stored. */
    public enum State { OPEN, ACKNOWLEDGED, FLAPPING, RESOLVED }

    public AlertRecord {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        lastOutput = lastOutput == null ? "" : lastOutput;
    }

    public boolean open() {
        return state != State.RESOLVED;
    }

    public boolean acknowledged() {
        return ackedBy != null;
    }

    public AlertRecord withId(long newId) {
        return new AlertRecord(newId, stack, service, check, severity, state, failing, since, eventTimeNanos, detectedAt,
                postedAt, lastOutput, occurrences, deployNote, rollbackTag, ackedBy, ackedAt, notifiedAt, changedAt, resolvedAt);
    }

    public AlertRecord withState(State newState, boolean nowFailing, Instant at) {
        return new AlertRecord(id, stack, service, check, severity, newState, nowFailing, since, eventTimeNanos, detectedAt,
                postedAt, lastOutput, occurrences, deployNote, rollbackTag, ackedBy, ackedAt, notifiedAt, at,
                newState == State.RESOLVED ? at : null);
    }

    public AlertRecord withOutput(String output) {
        return new AlertRecord(id, stack, service, check, severity, state, failing, since, eventTimeNanos, detectedAt,
                postedAt, output, occurrences, deployNote, rollbackTag, ackedBy, ackedAt, notifiedAt, changedAt, resolvedAt);
    }

    public AlertRecord reopened(State newState, String output, Instant at) {
        return new AlertRecord(id, stack, service, check, severity, newState, true, since, eventTimeNanos, detectedAt,
                postedAt, output, occurrences + 1, deployNote, rollbackTag, ackedBy, ackedAt, at, at, null);
    }

    public AlertRecord acknowledgedBy(String who, Instant at) {
        return new AlertRecord(id, stack, service, check, severity, state == State.OPEN ? State.ACKNOWLEDGED : state, failing,
                since, eventTimeNanos, detectedAt, postedAt, lastOutput, occurrences, deployNote, rollbackTag, who, at,
                notifiedAt, at, resolvedAt);
    }

    public AlertRecord notified(Instant at) {
        return new AlertRecord(id, stack, service, check, severity, state, failing, since, eventTimeNanos, detectedAt,
                postedAt, lastOutput, occurrences, deployNote, rollbackTag, ackedBy, ackedAt, at, changedAt, resolvedAt);
    }

    public AlertRecord posted(Instant at) {
        return new AlertRecord(id, stack, service, check, severity, state, failing, since, eventTimeNanos, detectedAt,
                at, lastOutput, occurrences, deployNote, rollbackTag, ackedBy, ackedAt, notifiedAt, changedAt, resolvedAt);
    }
}
