package dev.opsbot.core.git;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The bot's clone of the repository, as the production runbook's "How to cut a release tag"
 * needs it: fetched first, refused when the tree is dirty, the branch is not one releases are
 * cut from, the branch is not what the remote has, or the tag exists; then an annotated tag is
 * created and pushed. Messages say what was refused and why; they never hold credentials.
 */
public final class ReleaseRepository implements AutoCloseable {
    /** {@code v} and a semantic version: v1.2.3, v1.2.3-rc.1, v1.2.3+build.5. */
    public static final Pattern TAG = Pattern.compile("v(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    private static final int NOTES_LIMIT = 100;
    private static final int TIMEOUT_SECONDS = 60;

    private final ReleaseSettings settings;
    private final Git git;
    private final Repository repo;

    private ReleaseRepository(ReleaseSettings settings, Git git) {
        this.settings = settings;
        this.git = git;
        this.repo = git.getRepository();
    }

    public static ReleaseRepository open(ReleaseSettings settings) {
        if (settings.repository() == null) {
            throw new ReleaseException("releases are not configured: set release.repository in opsbot.yml to the bot's clone of the repository");
        }
        try {
            return new ReleaseRepository(settings, Git.open(settings.repository().toFile()));
        } catch (IOException e) {
            throw new ReleaseException(settings.repository() + " is not a git repository the bot can open: " + e.getMessage());
        }
    }

    /**
     * Fetches the remote, then checks everything a release needs; returns what would be tagged.
     * Refusals are {@link ReleaseException}s; nothing but the fetch (and a fast-forward of a
     * branch that is only behind the remote) changes the clone.
     */
    public ReleasePlan prepare(String tag) {
        if (!TAG.matcher(tag).matches()) {
            throw new ReleaseException("'" + tag + "' is not a release tag: use v and a semantic version, like v0.1.0 or v1.2.0-rc.1");
        }
        fetch();
        try {
            Status status = git.status().call();
            if (!status.isClean()) {
                Set<String> dirty = new TreeSet<>(status.getUncommittedChanges());
                dirty.addAll(status.getUntracked());
                throw new ReleaseException("the working tree of " + settings.repository() + " is not clean (" + dirty.size()
                        + " changed or untracked: " + String.join(", ", dirty.stream().limit(5).toList())
                        + (dirty.size() > 5 ? ", …" : "") + "): a tag is never cut from a dirty tree");
            }
            String full = repo.getFullBranch();
            if (full == null || !full.startsWith(Constants.R_HEADS)) {
                throw new ReleaseException("HEAD is not on a branch (detached at " + abbreviate(full)
                        + "): check out " + String.join(" or ", settings.branches()));
            }
            String branch = Repository.shortenRefName(full);
            if (!settings.allows(branch)) {
                throw new ReleaseException("HEAD is on " + branch + ": tags are cut only from " + String.join(" or ", settings.branches()));
            }
            if (repo.exactRef(Constants.R_TAGS + tag) != null) {
                throw new ReleaseException("tag " + tag + " already exists (on " + settings.remote()
                        + " or in the clone): choose the next version");
            }
            ObjectId head = catchUp(branch);
            return plan(tag, branch, head);
        } catch (GitAPIException | IOException e) {
            throw new ReleaseException("reading " + settings.repository() + " failed: " + e.getMessage());
        }
    }

    private void fetch() {
        try {
            git.fetch().setRemote(settings.remote()).setTagOpt(TagOpt.FETCH_TAGS).setRemoveDeletedRefs(true)
                    .setCredentialsProvider(credentials()).setTimeout(TIMEOUT_SECONDS).call();
        } catch (GitAPIException e) {
            throw new ReleaseException("fetching " + settings.remote() + " failed: " + e.getMessage() + "; nothing was tagged");
        }
    }

    /** Makes the branch what the remote has when it is only behind; refuses when it has commits the remote lacks. */
    private ObjectId catchUp(String branch) throws IOException, GitAPIException {
        ObjectId local = repo.resolve(Constants.R_HEADS + branch);
        Ref tracking = repo.exactRef(Constants.R_REMOTES + settings.remote() + "/" + branch);
        if (tracking == null) {
            throw new ReleaseException(settings.remote() + " has no branch " + branch + ": push it first, tags are cut from what "
                    + settings.remote() + " has");
        }
        ObjectId remote = tracking.getObjectId();
        if (remote.equals(local)) return local;
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit l = walk.parseCommit(local);
            RevCommit r = walk.parseCommit(remote);
            if (walk.isMergedInto(l, r)) {
                git.reset().setMode(ResetCommand.ResetType.HARD).setRef(remote.name()).call();
                return remote;
            }
            throw new ReleaseException(branch + " in the bot's clone has commits that " + settings.remote() + "/" + branch
                    + " does not: the clone must match " + settings.remote() + " (reset it, or push those commits through review)");
        }
    }

    private ReleasePlan plan(String tag, String branch, ObjectId head) throws IOException {
        Map<ObjectId, List<String>> releaseTags = new HashMap<>();
        for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            String name = ref.getName().substring(Constants.R_TAGS.length());
            if (!TAG.matcher(name).matches()) continue;
            Ref peeled = repo.getRefDatabase().peel(ref);
            ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
            releaseTags.computeIfAbsent(target, k -> new ArrayList<>()).add(name);
        }
        String previous = null;
        RevCommit previousCommit = null;
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.TOPO);
            walk.sort(RevSort.COMMIT_TIME_DESC, true);
            walk.markStart(walk.parseCommit(head));
            for (RevCommit c : walk) {
                List<String> tags = releaseTags.get(c);
                if (tags != null) {
                    previous = tags.stream().max(ReleaseRepository::compareVersions).orElseThrow();
                    previousCommit = c;
                    break;
                }
            }
        }
        List<ReleasePlan.CommitLine> commits = new ArrayList<>();
        int more = 0;
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.TOPO);
            walk.sort(RevSort.COMMIT_TIME_DESC, true);
            walk.markStart(walk.parseCommit(head));
            if (previousCommit != null) walk.markUninteresting(walk.parseCommit(previousCommit));
            for (RevCommit c : walk) {
                if (commits.size() < NOTES_LIMIT) {
                    commits.add(new ReleasePlan.CommitLine(c.getName(), c.getShortMessage(), c.getAuthorIdent().getName()));
                } else {
                    more++;
                }
            }
        }
        return new ReleasePlan(tag, branch, head.getName(), previous, commits, more);
    }

    /** Creates the annotated tag on the plan's commit, naming who asked for it. */
    public void tag(ReleasePlan plan, String message) {
        try (RevWalk walk = new RevWalk(repo)) {
            git.tag().setName(plan.tag()).setAnnotated(true).setSigned(false)
                    .setObjectId(walk.parseCommit(ObjectId.fromString(plan.commit())))
                    .setTagger(new PersonIdent(settings.taggerName(), settings.taggerEmail()))
                    .setMessage(message).call();
        } catch (GitAPIException | IOException e) {
            throw new ReleaseException("creating tag " + plan.tag() + " failed: " + e.getMessage());
        }
    }

    /** Pushes the tag; when the remote refuses it, the local tag is removed so that the release can be retried. */
    public void push(ReleasePlan plan) {
        String ref = Constants.R_TAGS + plan.tag();
        String problem = pushRef(new RefSpec(ref + ":" + ref));
        if (problem != null) {
            try {
                git.tagDelete().setTags(plan.tag()).call();
            } catch (GitAPIException e) {
                problem += "; the local tag could not be removed either: " + e.getMessage();
            }
            throw new ReleaseException("pushing " + plan.tag() + " to " + settings.remote() + " failed: " + problem
                    + ". The tag is not on " + settings.remote() + ".");
        }
    }

    /**
     * Commits {@code markdown} as {@code notesDir/<tag>.md} on the release branch and pushes the
     * branch. When the push is refused (a protected branch), the commit is undone in the clone
     * and the reason is returned; null when the notes are on the remote.
     */
    public String commitNotes(ReleasePlan plan, String markdown) {
        String path = settings.notesDir().replaceAll("/+$", "") + "/" + plan.tag() + ".md";
        Path file = repo.getWorkTree().toPath().resolve(path);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown, StandardCharsets.UTF_8);
            PersonIdent bot = new PersonIdent(settings.taggerName(), settings.taggerEmail());
            git.add().addFilepattern(path).call();
            git.commit().setMessage("Release notes for " + plan.tag()).setAuthor(bot).setCommitter(bot).setSign(false).call();
        } catch (GitAPIException | IOException e) {
            undo(plan);
            return "the notes could not be committed: " + e.getMessage();
        }
        String ref = Constants.R_HEADS + plan.branch();
        String problem = pushRef(new RefSpec(ref + ":" + ref));
        if (problem != null) {
            undo(plan);
            return "pushing " + path + " to " + settings.remote() + "/" + plan.branch() + " failed: " + problem;
        }
        return null;
    }

    private void undo(ReleasePlan plan) {
        try {
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(plan.commit()).call();
            git.clean().setCleanDirectories(true).call();
        } catch (GitAPIException e) {
            // the next release refuses the dirty tree and says so
        }
    }

    /** Null when the remote accepted every ref, else what it said. */
    private String pushRef(RefSpec spec) {
        try {
            List<String> problems = new ArrayList<>();
            for (PushResult result : git.push().setRemote(settings.remote()).setRefSpecs(spec)
                    .setCredentialsProvider(credentials()).setTimeout(TIMEOUT_SECONDS).call()) {
                for (RemoteRefUpdate u : result.getRemoteUpdates()) {
                    if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        problems.add(u.getRemoteName() + " " + u.getStatus().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                                + (u.getMessage() == null ? "" : " (" + u.getMessage() + ")"));
                    }
                }
            }
            return problems.isEmpty() ? null : String.join("; ", problems);
        } catch (GitAPIException e) {
            return e.getMessage();
        }
    }

    private CredentialsProvider credentials() {
        RemoteCredentials c = settings.credentials();
        return c == null ? null : new UsernamePasswordCredentialsProvider(c.username(), c.password());
    }

    private static String abbreviate(String id) {
        return id == null ? "nothing" : id.length() > 7 ? id.substring(0, 7) : id;
    }

    /** Orders release tags by semantic version (a pre-release before its release). */
    static int compareVersions(String a, String b) {
        Matcher x = TAG.matcher(a);
        Matcher y = TAG.matcher(b);
        if (!x.matches() || !y.matches()) return a.compareTo(b);
        for (int i = 1; i <= 3; i++) {
            int c = new BigInteger(x.group(i)).compareTo(new BigInteger(y.group(i)));
            if (c != 0) return c;
        }
        String pa = x.group(4);
        String pb = y.group(4);
        if (pa == null || pb == null) return pa == null ? (pb == null ? 0 : 1) : -1;
        return Comparator.<String>naturalOrder().compare(pa, pb);
    }

    @Override
    public void close() {
        git.close();
    }
}
