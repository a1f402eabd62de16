package dev.opsbot.core.health;

import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.store.DeployRecord;
import dev.opsbot.core.store.DeployStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the deploy history says about an alert: a deploy just before it, and the tag to roll back to. */
final class RecentDeploys {
    /** The sentence for the alert ("sha-badc0de by alice, 2 min before (run #3)") and the known-good tag, either may be null. */
    record Context(String note, String rollbackTag) { }

    private final DeployStore deploys;
    private final String stack;
    private final Duration window;

    RecentDeploys(DeployStore deploys, String stack, Duration window) {
        this.deploys = deploys;
        this.stack = stack;
        this.window = window;
    }

    Context around(Instant since) {
        List<DeployRecord> recent = deploys.recent(stack, null, 1);
        if (recent.isEmpty()) return new Context(null, null);
        DeployRecord last = recent.get(0);
        String note = null;
        if (!last.at().isAfter(since.plusSeconds(5)) && !last.at().isBefore(since.minus(window))) {
            note = last.service() + " " + last.tagBefore() + " -> " + last.tagAfter() + " by " + last.requestedBy().replaceFirst("^[^:]*:", "")
                    + ", " + Durations.human(Duration.between(last.at(), since)) + " before (run #" + last.runId() + ", " + last.outcome() + ")";
        }
        Optional<String> good = deploys.lastKnownGood(stack, last.service(), last.tagAfter());
        return new Context(note, good.orElse(null));
    }
}
