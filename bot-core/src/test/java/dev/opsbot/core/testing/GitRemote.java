package dev.opsbot.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Real git repositories for release tests, all in one temp folder: a bare {@code origin}, a
 * developer's clone that commits and pushes, and the bot's own clone. Closing closes them.
 */
public final class GitRemote implements AutoCloseable {
    public final Path origin;
    public final Git developer;
    public final Git bot;

    public GitRemote(Path dir) throws GitAPIException, IOException {
        this.origin = dir.resolve("origin.git");
        Git.init().setBare(true).setDirectory(origin.toFile()).setInitialBranch("main").call().close();
        this.developer = Git.cloneRepository().setURI(origin.toUri().toString()).setDirectory(dir.resolve("developer").toFile()).call();
        commit("README.md", "# app\n", "Initial commit", "dana");
        if (!developer.getRepository().getBranch().equals("main")) developer.branchRename().setNewName("main").call();
        push("refs/heads/main");
        this.bot = Git.cloneRepository().setURI(origin.toUri().toString()).setDirectory(dir.resolve("bot-clone").toFile())
                .setBranch("main").call();
    }

    /** A commit by the developer (not pushed). */
    public RevCommit commit(String file, String content, String message, String author) throws IOException, GitAPIException {
        Path p = developer.getRepository().getWorkTree().toPath().resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        developer.add().addFilepattern(file).call();
        PersonIdent who = new PersonIdent(author, author + "@example.com");
        return developer.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
    }

    public void push(String ref) throws GitAPIException {
        developer.push().setRemote("origin").setRefSpecs(new RefSpec(ref + ":" + ref)).call();
    }

    /** An annotated tag by the developer on their HEAD, pushed. */
    public void tag(String name) throws GitAPIException {
        developer.tag().setName(name).setAnnotated(true).setSigned(false).setMessage(name).call();
        push("refs/tags/" + name);
    }

    /** Opens origin to read what it holds. */
    public Git openOrigin() throws IOException {
        return Git.open(origin.toFile());
    }

    @Override
    public void close() {
        developer.close();
        bot.close();
    }
}
