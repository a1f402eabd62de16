package dev.opsbot.core.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the bot counts and times, for an operator's graphs and alerts; the application decides
 * where it goes (Prometheus in bot-app). The core and the adapters call it and know no metrics
 * library. Every label value is one of a small, fixed set: a verb or runbook name the catalog
 * knows (anything else as {@code "unknown"}), a platform, an outcome, a step kind, a severity, an
 * environment's configured name; never a user, a tag or typed text.
 */
public interface Telemetry {

    /** Counts and times nothing. */
    Telemetry NONE = new Telemetry() { };

    /**
     * A command was answered.
     *
     * @param verb    a built-in or a runbook name, {@code "unknown"} for anything else
     * @param outcome {@code ok}, {@code usage} (typed wrong), {@code refused} (not allowed, or holding a secret),
     *                {@code busy} (turned away unheard: too many waiting, or the bot is stopping), {@code failed}
     *                (the operation it asked for failed: Docker, git, a file)
     */
    default void commandAnswered(String verb, String outcome) {
    }

    /** An adapter acknowledged a platform's event (a command, a press, a form) this long after it arrived. */
    default void commandAcknowledged(String platform, Duration latency) {
    }

    /**
     * A run ended.
     *
     * @param result   {@code succeeded}, {@code failed}, {@code cancelled} or {@code interrupted} (a restart or a
     *                 crash stopped it; reported when the bot is back)
     * @param duration for an interrupted run, from its start until the bot reported it
     */
    default void runFinished(String runbook, String result, Duration duration) {
    }

    /**
     * The runbooks a bot serves, at its start: their run counters begin at zero, so that a rate or
     * an increase over them (an alerting rule on failed deploys) sees the very first run.
     */
    default void runbooksServed(Collection<String> runbooks) {
    }

    /** A step ended; {@code kind} is the YAML step kind ({@code pull}, {@code up}, …), {@code result} as for runs. */
    default void stepFinished(String kind, String result, Duration duration) {
    }

    /**
     * How many buttons of an environment wait for a decision, asked at each scrape.
     *
     * @param kind {@code confirmation} or {@code approval}
     */
    default void waiting(String environment, String kind, IntSupplier count) {
    }

    /**
     * Whether this replica leads an environment (watches its health, expires its buttons, reports its
     * interrupted runs), asked at each scrape: since when it leads, by the database's clock, or empty
     * while it follows.
     */
    default void leadership(String environment, Supplier<Optional<Instant>> leadingSince) {
    }

    /** How many deploy locks an environment holds, asked at each scrape. */
    default void locksHeld(String environment, IntSupplier count) {
    }

    /** An environment's open alerts by severity ({@code critical}, {@code warning}, …), asked at each scrape. */
    default void alertsOpen(String environment, Supplier<Map<String, Integer>> bySeverity) {
    }

    /**
     * How long the oldest open alert nobody acknowledged has been open, by severity, asked at each
     * scrape; a severity without such an alert is left out.
     */
    default void unacknowledgedAlertAge(String environment, Supplier<Map<String, Duration>> oldestBySeverity) {
    }

    /** An alert reached its channel this long after the Docker event (or probe result) that raised it. */
    default void eventToAlert(String environment, Duration latency) {
    }

    /** The Docker event stream of an environment was lost and is being opened again. */
    default void eventStreamReconnect(String environment) {
    }

    /**
     * One call to a chat platform's API.
     *
     * @param method  the API method ({@code chat.postMessage}) or a route without ids ({@code POST channels/{id}/messages})
     * @param outcome {@code ok}, {@code error} or {@code rate_limited}
     */
    default void chatCall(String platform, String method, String outcome) {
    }

    /** A call to a chat platform waited this long because the platform asked it to (HTTP 429, Retry-After). */
    default void rateLimitWait(String platform, String method, Duration waited) {
    }
}
