package dev.opsbot.core.dispatch;

import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.engine.KnownGood;
import dev.opsbot.core.engine.RunServices;
import dev.opsbot.core.runbook.Parameter;
import dev.opsbot.core.runbook.Runbook;
import java.util.Map;
import java.util.function.Supplier;

/** Parameters declared {@code default-from: last-known-good}: filled from the deploy history when not typed. */
final class SuggestedDefaults {
    private final RunServices services;

    SuggestedDefaults(RunServices services) {
        this.services = services;
    }

    /** Fills what is missing into {@code params}; returns the command with the filled values written out. */
    String fill(Runbook runbook, Map<String, String> params, Invocation inv, Supplier<ComposeProject> project) {
        StringBuilder invocation = new StringBuilder(inv.display());
        for (Parameter p : runbook.params()) {
            if (p.defaultFrom() == null || params.containsKey(p.name())) continue;
            if (runbook.pinnedServices().isEmpty()) throw new UsageException("Name the " + p.name() + ".", runbook.usageLine());
            String service = runbook.pinnedServices().get(0);
            project.get().require(service); // a runbook pinning a service the file lacks is refused by name
            String good = KnownGood.of(services).of(service).orElseThrow(() -> new UsageException(
                    "The deploy history has no known-good tag of " + service + " yet: name one.", runbook.usageLine()));
            params.put(p.name(), good);
            invocation.append(p.flag() ? " --" + p.name() + " " + good : " " + good);
        }
        return invocation.toString();
    }
}
