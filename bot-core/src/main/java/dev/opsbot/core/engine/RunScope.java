package dev.opsbot.core.engine;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.compose.ServiceSpec;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.Template;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The services a mutating run changes or checks: those its steps name, and the services that
 * depend on them, which fail while a dependency is recreated (the proxy while the backend is
 * replaced). What the health monitor sees of them during the run belongs to the run.
 */
final class RunScope {
    private RunScope() {
    }

    static Set<String> of(Runbook runbook, Template template, Stack stack) {
        ComposeProject project;
        try {
            project = stack.load();
        } catch (RuntimeException e) {
            // The run reports a broken file at its first step that reads it; here only what the steps name counts.
            Set<String> named = new LinkedHashSet<>();
            for (Step step : runbook.steps()) named.addAll(step.touches(template, Set.of()));
            return Set.copyOf(named);
        }
        Set<String> scope = new LinkedHashSet<>();
        for (Step step : runbook.steps()) scope.addAll(step.touches(template, project.services().keySet()));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ServiceSpec s : project.services().values()) {
                if (!scope.contains(s.name()) && s.dependsOn().stream().anyMatch(scope::contains)) grew = scope.add(s.name()) || grew;
            }
        }
        return Set.copyOf(scope);
    }
}
