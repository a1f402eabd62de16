package dev.opsbot.core.engine;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.docker.RunningImage;
import dev.opsbot.core.runbook.Operations;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a runbook would change if it ran now, step by step, for the message that asks to confirm or approve it. */
public final class RunPreview {
    private final RunServices services;

    public RunPreview(RunServices services) {
        this.services = services;
    }

    /**
     * One line per change ("backend: sha-1a2b3c4 -> sha-5d6e7f8 · running sha-1a2b3c4 (sha256:…)"),
     * then the other services whose container runs another image than the file names (the run may
     * recreate them); empty when the steps change nothing they can describe.
     */
    public List<String> changes(Runbook runbook, Map<String, String> params, ComposeProject project) {
        PreviewContext preview = new PreviewContext(project, services.docker(), new Template(params),
                Operations.readOnly(services.release(), services.secrets()));
        List<String> changes = new ArrayList<>();
        for (Step step : runbook.steps()) changes.addAll(step.preview(preview));
        if (!changes.isEmpty()) changes.addAll(driftElsewhere(runbook, project));
        return changes;
    }

    /** "proxy: file says sha-1a2b3c4, running sha-5d6e7f8 (drift)" for services the runbook does not pin. */
    private List<String> driftElsewhere(Runbook runbook, ComposeProject project) {
        try {
            return RunningImage.of(project, services.docker().ps(project)).values().stream()
                    .filter(r -> r.drifted() && !runbook.pinnedServices().contains(r.service()))
                    .map(r -> r.service() + ": " + r.drift() + " (drift)").toList();
        } catch (RuntimeException e) {
            // The pin lines already say when what runs cannot be read.
            return List.of();
        }
    }

    /** The step titles with the parameters filled in, for a runbook whose steps describe no change. */
    public String steps(Runbook runbook, Map<String, String> params) {
        Template template = new Template(params);
        return "Steps: " + String.join("; ", runbook.steps().stream().map(s -> s.title(template)).toList());
    }
}
