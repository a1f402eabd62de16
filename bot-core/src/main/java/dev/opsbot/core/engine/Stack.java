package dev.opsbot.core.engine;

import dev.opsbot.core.compose.ComposeLoader;
import dev.opsbot.core.compose.ComposeProject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/** The stack the bot operates: a name, its compose file, and the compose project name. */
public record Stack(String name, Path composeFile, String project, Map<String, String> environment) {
    public Stack {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(composeFile, "composeFile");
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /** Reads the compose file as it is now. */
    public ComposeProject load() {
        return new ComposeLoader(environment).load(composeFile, project);
    }
}
