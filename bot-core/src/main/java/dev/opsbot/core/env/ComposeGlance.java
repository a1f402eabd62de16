package dev.opsbot.core.env;

import dev.opsbot.core.compose.ComposeProject;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.engine.Stack;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/** A compose stack's health in one line: how many services run, which are unhealthy or missing. */
public record ComposeGlance(DockerHost docker, Stack stack) implements Supplier<String> {

    @Override
    public String get() {
        String version = docker.ping();
        ComposeProject project = stack.load();
        Set<String> declared = project.services().keySet();
        Set<String> running = new TreeSet<>();
        List<String> unhealthy = new ArrayList<>();
        for (ServiceContainer c : docker.ps(project)) {
            if (c.oneOff()) continue;
            if (c.running()) running.add(c.service());
            if ("unhealthy".equals(c.health())) unhealthy.add(c.service());
        }
        Set<String> down = new TreeSet<>(declared);
        down.removeAll(running);
        StringBuilder b = new StringBuilder("Docker " + version + ": " + running.size() + "/" + declared.size() + " services running");
        if (!down.isEmpty()) b.append(", not running: ").append(String.join(", ", down));
        if (!unhealthy.isEmpty()) b.append(", unhealthy: ").append(String.join(", ", unhealthy));
        if (down.isEmpty() && unhealthy.isEmpty()) b.append(", all healthy");
        return b.toString();
    }
}
