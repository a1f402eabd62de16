package dev.opsbot.core.builtin;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.engine.RunEngine;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.health.AlertCommands;
import dev.opsbot.core.runbook.RunbookCatalog;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What built-in commands read and act on: the bot's services, its runbooks, its runs, who may
 * do what, the health monitor's commands (when one watches the stack), the environments beside
 * it (null for a bot alone), and the other built-ins (for help).
 */
public record BuiltinContext(RunServices services, RunbookCatalog catalog, RunEngine engine, AccessPolicy access,
                             Supplier<Optional<AlertCommands>> alerts, Supplier<EnvironmentDirectory> environments,
                             BuiltinCommands commands) {
}
