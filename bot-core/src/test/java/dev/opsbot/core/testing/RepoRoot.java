package dev.opsbot.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's root (where runbooks/ and examples/ are) from a test's working folder. */
public final class RepoRoot {
    private RepoRoot() {
    }

    public static Path get() {
        String fromBuild = System.getenv("OPSBOT_REPO_ROOT");
        if (fromBuild != null && Files.isDirectory(Path.of(fromBuild, "runbooks"))) return Path.of(fromBuild);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("runbooks")) && Files.isDirectory(p.resolve("examples/demo"))) return p;
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }
}
