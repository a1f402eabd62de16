package dev.opsbot.bench;

import dev.opsbot.core.testing.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Another revision of the bot, to measure beside this one under the same load on the same
 * machine at the same time: a git worktree of it in a temporary folder, built there (package
 * only, nothing installed), and removed with its folder when closed.
 */
final class BaselineTree implements AutoCloseable {
    private final Path root;
    private final Path folder;
    private final String revision;

    private BaselineTree(Path folder, Path root, String revision) {
        this.folder = folder;
        this.root = root;
        this.revision = revision;
    }

    static BaselineTree build(String rev, Consumer<String> say) throws IOException {
        Path repo = RepoRoot.get();
        String commit = Commands.check(List.of("git", "rev-parse", "--verify", rev + "^{commit}"), repo, Map.of(),
                Duration.ofSeconds(30)).output().strip();
        String shortName = commit.substring(0, 7);
        Path folder = Files.createTempDirectory("opsbot-baseline-");
        Path root = folder.resolve("opsbot-" + shortName);
        Commands.check(List.of("git", "worktree", "add", "--detach", root.toString(), commit), repo, Map.of(), Duration.ofMinutes(2));
        BaselineTree tree = new BaselineTree(folder, root, shortName);
        try {
            say.accept("baseline " + shortName + ": building in " + root);
            // offline first (the dependencies are usually in the local repository already)
            Commands.Outcome built = Commands.run(List.of("mvn", "-B", "-q", "-o", "-DskipTests", "package"), root, Map.of(),
                    Duration.ofMinutes(15));
            if (built.exit() != 0) {
                Commands.check(List.of("mvn", "-B", "-q", "-DskipTests", "package"), root, Map.of(), Duration.ofMinutes(15));
            }
        } catch (RuntimeException e) {
            tree.close();
            throw e;
        }
        return tree;
    }

    /** The checkout's folder, where its {@code ./opsbot} is. */
    Path root() {
        return root;
    }

    /** The abbreviated commit, for figure names. */
    String revision() {
        return revision;
    }

    @Override
    public void close() {
        Path repo = RepoRoot.get();
        Commands.run(List.of("git", "worktree", "remove", "--force", root.toString()), repo, Map.of(), Duration.ofMinutes(1));
        Commands.run(List.of("git", "worktree", "prune"), repo, Map.of(), Duration.ofMinutes(1));
        try {
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // not empty: the worktree could not be removed; git worktree prune tidies it later
        }
    }
}
