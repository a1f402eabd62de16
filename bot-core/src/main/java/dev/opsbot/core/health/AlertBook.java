package dev.opsbot.core.health;

import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.store.AlertRecord.State;
import dev.opsbot.core.store.AlertStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The alert state machine, one per (service, check) of a stack:
 * <pre>
 *   ok --failure--> failing (fewer than N in a row, nothing said)
 *      --Nth failure--> OPEN --ack--> ACKNOWLEDGED
 *      --M successes--> RESOLVED --failure within the flap window--> OPEN again (same message)
 *      opened flap-count times within the window --> FLAPPING, resolved once it passes for a whole window
 * </pre>
 * Open alerts are kept in the {@link AlertStore}, so a restart neither forgets nor repeats them;
 * the counts of a streak live in memory. Not thread-safe: the monitor calls it from one thread.
 */
final class AlertBook {
    private record Streak(int failures, int successes, Instant failingSince, Long firstEventNanos) {
        static final Streak NONE = new Streak(0, 0, null, null);
    }

    private final AlertStore store;
    private final String stack;
    private final MonitorSettings settings;
    private final RecentDeploys deploys;
    private final Map<CheckKey, Streak> streaks = new HashMap<>();
    private final Map<CheckKey, AlertRecord> open = new HashMap<>();

    AlertBook(AlertStore store, String stack, MonitorSettings settings, RecentDeploys deploys) {
        this.store = store;
        this.stack = stack;
        this.settings = settings;
        this.deploys = deploys;
        for (AlertRecord a : store.open(stack)) open.put(new CheckKey(a.service(), a.check()), a);
    }

    List<AlertRecord> open() {
        return open.values().stream().sorted(Comparator.comparingLong(AlertRecord::id)).toList();
    }

    Optional<AlertRecord> openAlert(long id) {
        return open.values().stream().filter(a -> a.id() == id).findFirst();
    }

    /** Feeds one observation; {@code muted} holds back new alerts (open ones still update and resolve). */
    Optional<AlertChange> observe(Observation o, boolean muted) {
        CheckKey key = new CheckKey(o.service(), o.check());
        Streak s = streaks.getOrDefault(key, Streak.NONE);
        AlertRecord current = open.get(key);
        if (!o.ok()) {
            s = new Streak(s.failures() + 1, 0, s.failingSince() == null ? o.at() : s.failingSince(),
                    s.firstEventNanos() == null ? o.eventTimeNanos() : s.firstEventNanos());
            streaks.put(key, s);
            if (current != null) return failingAgain(key, current, o);
            if (s.failures() < o.thresholds().failAfter() || muted) return Optional.empty();
            return Optional.of(openOrReopen(key, o, s));
        }
        s = new Streak(0, s.successes() + 1, null, null);
        streaks.put(key, s);
        if (current == null || !current.failing() || s.successes() < o.thresholds().recoverAfter()) return Optional.empty();
        if (current.state() == State.FLAPPING) {
            return Optional.of(save(key, current.withOutput(o.output()).withState(State.FLAPPING, false, o.at()), AlertChange.Kind.PASSING));
        }
        return Optional.of(resolve(key, current.withOutput(o.output()), o.at()));
    }

    private Optional<AlertChange> failingAgain(CheckKey key, AlertRecord current, Observation o) {
        if (!current.failing()) {
            AlertRecord again = current.reopened(flapping(current.occurrences() + 1) ? State.FLAPPING : current.state(), o.output(), o.at());
            return Optional.of(save(key, again, AlertChange.Kind.REOPENED));
        }
        if (o.output().equals(current.lastOutput())) return Optional.empty();
        return Optional.of(save(key, current.withOutput(o.output()), AlertChange.Kind.UPDATED));
    }

    private AlertChange openOrReopen(CheckKey key, Observation o, Streak s) {
        Optional<AlertRecord> previous = store.latest(stack, key.service(), key.check())
                .filter(a -> a.state() == State.RESOLVED && a.resolvedAt() != null
                        && !a.resolvedAt().isBefore(o.at().minus(settings.flapWindow())));
        if (previous.isPresent()) {
            AlertRecord p = previous.get();
            State state = flapping(p.occurrences() + 1) ? State.FLAPPING : p.acknowledged() ? State.ACKNOWLEDGED : State.OPEN;
            return save(key, p.reopened(state, o.output(), o.at()), AlertChange.Kind.REOPENED);
        }
        RecentDeploys.Context deploy = deploys.around(s.failingSince());
        AlertRecord a = new AlertRecord(0, stack, key.service(), key.check(), o.severity().label(), State.OPEN, true,
                s.failingSince(), s.firstEventNanos(), o.at(), null, o.output(), 1, deploy.note(), deploy.rollbackTag(),
                null, null, o.at(), o.at(), null);
        a = store.insert(a);
        open.put(key, a);
        return new AlertChange(AlertChange.Kind.OPENED, a);
    }

    private boolean flapping(int occurrences) {
        return occurrences >= settings.flapCount();
    }

    private AlertChange resolve(CheckKey key, AlertRecord a, Instant at) {
        AlertRecord done = a.withState(State.RESOLVED, false, at);
        store.update(done);
        open.remove(key);
        return new AlertChange(AlertChange.Kind.RESOLVED, done);
    }

    private AlertChange save(CheckKey key, AlertRecord a, AlertChange.Kind kind) {
        store.update(a);
        if (a.open()) open.put(key, a);
        else open.remove(key);
        return new AlertChange(kind, a);
    }

    /** Records who acknowledged; empty when the alert is not open or already acknowledged. */
    Optional<AlertChange> acknowledge(long id, String who, Instant at) {
        Optional<AlertRecord> a = openAlert(id).filter(x -> !x.acknowledged());
        return a.map(x -> save(new CheckKey(x.service(), x.check()), x.acknowledgedBy(who, at), AlertChange.Kind.ACKNOWLEDGED));
    }

    /** Reminders due, and flapping alerts that have passed for a whole window. */
    List<AlertChange> tick(Instant now, Predicate<String> muted) {
        List<AlertChange> out = new ArrayList<>();
        for (AlertRecord a : open()) {
            CheckKey key = new CheckKey(a.service(), a.check());
            if (a.state() == State.FLAPPING && !a.failing() && !a.changedAt().plus(settings.flapWindow()).isAfter(now)) {
                out.add(resolve(key, a, now));
            } else if (a.failing() && !a.acknowledged() && !muted.test(a.service())
                    && !a.notifiedAt().plus(settings.renotify()).isAfter(now)) {
                out.add(save(key, a.notified(now), AlertChange.Kind.REMINDED));
            }
        }
        return out;
    }

    /** Marks that the alert's first message went out (for measuring the delay from the engine's event). */
    AlertRecord posted(AlertRecord a, Instant at) {
        AlertRecord p = a.posted(at);
        store.update(p);
        CheckKey key = new CheckKey(a.service(), a.check());
        if (open.containsKey(key)) open.put(key, p);
        return p;
    }

    Duration renotify() {
        return settings.renotify();
    }
}
