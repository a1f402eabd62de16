package dev.opsbot.app;

import dev.opsbot.core.docker.DockerException;
import dev.opsbot.core.env.Environment;
import java.util.ArrayList;
import java.util.List;

/** What the console and {@code run} say as they start: where they point, each Docker engine, runbooks that did not load. */
record StartupReport(BotRuntime runtime) {

    /** "stack demo (data/demo/docker-compose.yml)", or the environments' names. */
    String where() {
        AppConfig config = runtime.config;
        if (config.environments().isEmpty()) return "stack " + config.stackName() + " (" + config.composeFile() + ")";
        return "environments " + String.join(", ", config.environments().stream().map(EnvironmentConfig::name).toList());
    }

    /** One line per environment: its engine's version, or why it cannot be reached (the others run regardless). */
    List<String> docker() {
        List<String> lines = new ArrayList<>();
        boolean several = runtime.environments.all().size() > 1;
        for (Environment e : runtime.environments.all()) {
            String prefix = several ? e.name() + ": " : "";
            try {
                lines.add(prefix + "Docker " + runtime.engines.get(e.name()).ping() + " at " + e.endpoint());
            } catch (DockerException ex) {
                lines.add(prefix + "Docker is not reachable: " + ex.getMessage()
                        + (several ? "" : "\n  To get it on Debian: apt-get install docker.io busybox-static docker-registry; dockerd &"
                        + "\n  then examples/demo/build-images.sh. The console runs anyway; commands that need Docker will say so."));
            }
        }
        return lines;
    }

    List<String> runbookProblems() {
        return runtime.bots().stream().flatMap(b -> b.catalog().problems().stream()).map(p -> "runbook not loaded: " + p.getMessage())
                .distinct().toList();
    }
}
