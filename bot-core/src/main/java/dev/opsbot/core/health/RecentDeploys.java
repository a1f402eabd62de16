package dev.opsbot.core.health;

import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.engine.KnownGood;
import dev.opsbot.core.store.DeployRecord;
import dev.opsbot.core.store.DeployStore;
import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.store.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the deploy history says about an alert: the run or deploy just before it, and the release
 * to roll back to ({@link KnownGood}, the same every other rollback button offers).
 */
final class RecentDeploys {
    /** How a note that names the run the alert follows begins. */
    static final String AFTER_RUN = "after run #";

    /**
     * The sentence for the alert and the known-good tag, either may be null. The sentence names the
     * run when the history knows it ("after run #3, deploy sha-badc0de, failed: backend sha-5d6e7f8
     * -> sha-badc0de by alice, 40 s before"), else the deploy ("backend … by bob, 2 min before (run #2, succeeded)").
     */
    record Context(String note, String rollbackTag) { }

    private final DeployStore deploys;
    private final RunStore runs;
    private final KnownGood knownGood;
    private final String stack;
    private final Duration window;

    RecentDeploys(DeployStore deploys, RunStore runs, String stack, Duration window) {
        this.deploys = deploys;
        this.runs = runs;
        this.knownGood = new KnownGood(deploys, stack);
        this.stack = stack;
        this.window = window;
    }

    Context around(Instant since) {
        List<DeployRecord> recent = deploys.recent(stack, null, 1);
        if (recent.isEmpty()) return new Context(null, null);
        DeployRecord last = recent.get(0);
        String note = null;
        if (!last.at().isAfter(since.plusSeconds(5)) && !last.at().isBefore(since.minus(window))) {
            String change = last.service() + " " + last.tagBefore() + " -> " + last.tagAfter() + " by " + last.requestedBy().replaceFirst("^[^:]*:", "")
                    + ", " + Durations.human(Duration.between(last.at(), since)) + " before";
            Optional<RunRecord> run = runs.find(last.runId());
            note = run.isPresent()
                    ? AFTER_RUN + last.runId() + ", " + run.get().invocation() + ", " + last.outcome() + ": " + change
                    : change + " (run #" + last.runId() + ", " + last.outcome() + ")";
        }
        return new Context(note, knownGood.of(last.service()).orElse(null));
    }

    /** Whether a stored note names the run the alert follows. */
    static boolean namesRun(String note) {
        return note != null && note.startsWith(AFTER_RUN);
    }
}
