package dev.opsbot.core.compose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One compose project, read again only when a file it was made from changed (the compose file,
 * its {@code .env}, the {@code env_file}s: {@link FileSnapshot}), instead of parsing its YAML for
 * every command that looks at the stack. A file that fails to read or parse is not kept: the
 * next load tries again and reports the same error.
 */
public final class ComposeCache {
    private final ComposeLoader loader;
    private final Path file;
    private final String projectName;

    /** The project and the files it was read from, swapped whole. */
    private record Loaded(ComposeProject project, List<FileSnapshot> files) {
        boolean current() {
            for (FileSnapshot f : files) {
                if (!f.current()) return false;
            }
            return true;
        }
    }

    private volatile Loaded loaded;

    public ComposeCache(Map<String, String> environment, Path file, String projectName) {
        this.loader = new ComposeLoader(environment);
        this.file = file;
        this.projectName = projectName;
    }

    /** The project as its files are now. */
    public ComposeProject get() {
        Loaded l = loaded;
        if (l != null && l.current()) return l.project();
        List<FileSnapshot> read = new ArrayList<>();
        ComposeProject project = loader.load(file, projectName, read);
        loaded = new Loaded(project, List.copyOf(read));
        return project;
    }
}
