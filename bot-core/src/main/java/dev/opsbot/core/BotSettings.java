package dev.opsbot.core;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.replica.ReplicaSettings;
import dev.opsbot.core.runbook.EnvironmentRules;
import dev.opsbot.core.secrets.SecretSettings;
import dev.opsbot.core.telemetry.Telemetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the core needs to know: the stack it operates, where runbooks and run logs live, how
 * long a confirmation button stays valid, who may do what, how releases are cut and
 * secrets renewed, what the environment changes in the runbooks' rules, the environment's name
 * (its log lines and metrics say it; the stack's name by default), where what the bot counts
 * goes (nowhere by default), and which replica this process is (a new id and the default lease by default).
 */
public record BotSettings(Stack stack, Path runbooks, Path logDir, Duration confirmTimeout, Duration rollbackOfferTimeout,
                          AccessPolicy access,
                          ReleaseSettings release, SecretSettings secrets,
                          EnvironmentRules rules, String environment, Telemetry telemetry, ReplicaSettings replica) {

    public BotSettings(Stack stack, Path runbooks, Path logDir, Duration confirmTimeout, Duration rollbackOfferTimeout,
                       AccessPolicy access,
                       ReleaseSettings release, SecretSettings secrets,
                       EnvironmentRules rules, String environment, Telemetry telemetry) {
        this(stack, runbooks, logDir, confirmTimeout, rollbackOfferTimeout, access, release, secrets, rules, environment, telemetry, null);
    }

    public BotSettings(Stack stack, Path runbooks, Path logDir, Duration confirmTimeout, Duration rollbackOfferTimeout,
                       AccessPolicy access,
                       ReleaseSettings release, SecretSettings secrets,
                       EnvironmentRules rules) {
        this(stack, runbooks, logDir, confirmTimeout, rollbackOfferTimeout, access, release, secrets, rules, null, null, null);
    }

    public BotSettings(Stack stack, Path runbooks, Path logDir, Duration confirmTimeout, Duration rollbackOfferTimeout,
                       AccessPolicy access,
                       ReleaseSettings release, SecretSettings secrets) {
        this(stack, runbooks, logDir, confirmTimeout, rollbackOfferTimeout, access, release, secrets, null, null, null, null);
    }

    /** Without release and secret settings: releases not configured, secrets in the .env beside the compose file. */
    public BotSettings(Stack stack, Path runbooks, Path logDir, Duration confirmTimeout, Duration rollbackOfferTimeout,
                       AccessPolicy access) {
        this(stack, runbooks, logDir, confirmTimeout, rollbackOfferTimeout, access, null, null, null, null, null, null);
    }

    public BotSettings {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(runbooks, "runbooks");
        Objects.requireNonNull(logDir, "logDir");
        confirmTimeout = confirmTimeout == null ? Duration.ofMinutes(10) : confirmTimeout;
        rollbackOfferTimeout = rollbackOfferTimeout == null ? Duration.ofMinutes(30) : rollbackOfferTimeout;
        Objects.requireNonNull(access, "access");
        release = release == null ? ReleaseSettings.none() : release;
        secrets = secrets == null ? SecretSettings.defaults() : secrets;
        rules = rules == null ? EnvironmentRules.AS_WRITTEN : rules;
        environment = environment == null ? stack.name() : environment;
        telemetry = telemetry == null ? Telemetry.NONE : telemetry;
        replica = replica == null ? ReplicaSettings.defaults() : replica;
    }
}
