package dev.opsbot.core.engine;

import dev.opsbot.core.store.DeployRecord;
import dev.opsbot.core.store.DeployStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one answer to "roll back to what?", for every button and default that offers a rollback:
 * an alert's, a failed run's, an interrupted run's, and {@code default-from: last-known-good}.
 * It reads the deploy history, which holds each image change from the moment a run pins it
 * (outcome {@code running}) to the outcome the run ends with, so a run in progress and a failed
 * one count like any other.
 */
public final class KnownGood {
    /** How far back the history is read. */
    private static final int HISTORY = 200;

    private final DeployStore deploys;
    private final String stack;

    public KnownGood(DeployStore deploys, String stack) {
        this.deploys = deploys;
        this.stack = stack;
    }

    /** For the stack a run works on. */
    public static KnownGood of(RunServices services) {
        return new KnownGood(services.deploys(), services.stack().name());
    }

    /**
     * The release of {@code service} to go back to: the newest one a deploy brought up and verified
     * healthy, other than the release in question, which is the newest one tried (being brought up
     * by a run now, failed, interrupted, or running since it succeeded). Failing that, the newest
     * release a deploy replaced that is neither the one in question nor one no deploy ever brought
     * up successfully.
     * Empty when the history knows no such release.
     */
    public Optional<String> of(String service) {
        List<DeployRecord> history = deploys.recent(stack, service, HISTORY);
        if (history.isEmpty()) return Optional.empty();
        String inQuestion = history.get(0).tagAfter();
        Optional<String> verified = history.stream().filter(KnownGood::verified).map(DeployRecord::tagAfter)
                .filter(tag -> !tag.equals(inQuestion)).findFirst();
        if (verified.isPresent()) return verified;
        // A release that once came up and stayed counts, verified or not; only one no deploy ever brought up is skipped.
        Set<String> cameUp = history.stream().filter(KnownGood::succeeded).map(DeployRecord::tagAfter).collect(Collectors.toSet());
        Set<String> onlyFailed = history.stream().filter(d -> !succeeded(d)).map(DeployRecord::tagAfter)
                .filter(tag -> !cameUp.contains(tag)).collect(Collectors.toSet());
        return history.stream().map(DeployRecord::tagBefore).filter(tag -> !tag.equals(inQuestion) && !onlyFailed.contains(tag)).findFirst();
    }

    private static boolean verified(DeployRecord d) {
        return succeeded(d) && d.healthVerified();
    }

    private static boolean succeeded(DeployRecord d) {
        return "succeeded".equals(d.outcome());
    }
}
