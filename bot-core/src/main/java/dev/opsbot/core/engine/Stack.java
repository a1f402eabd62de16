package dev.opsbot.core.engine;

import dev.opsbot.core.compose.ComposeCache;
import dev.opsbot.core.compose.ComposeProject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The stack the bot operates: a name, its compose file, and the compose project name. Its
 * compose file is parsed again only when it (or a file it reads) changed.
 */
public final class Stack {
    private final String name;
    private final Path composeFile;
    private final String project;
    private final Map<String, String> environment;
    private final ComposeCache compose;

    public Stack(String name, Path composeFile, String project, Map<String, String> environment) {
        this.name = Objects.requireNonNull(name, "name");
        this.composeFile = Objects.requireNonNull(composeFile, "composeFile");
        this.project = project;
        this.environment = environment == null ? Map.of() : Map.copyOf(environment);
        this.compose = new ComposeCache(this.environment, composeFile, project);
    }

    public String name() {
        return name;
    }

    public Path composeFile() {
        return composeFile;
    }

    public String project() {
        return project;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** The compose file as it is now. */
    public ComposeProject load() {
        return compose.get();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stack s && name.equals(s.name) && composeFile.equals(s.composeFile)
                && Objects.equals(project, s.project) && environment.equals(s.environment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, composeFile, project, environment);
    }

    @Override
    public String toString() {
        return "Stack[name=" + name + ", composeFile=" + composeFile + ", project=" + project + "]";
    }
}
