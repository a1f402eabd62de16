package dev.opsbot.core.runbook.steps;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.compose.ImageRef;
import dev.opsbot.core.git.ImageRegistry;
import dev.opsbot.core.git.ReleaseException;
import dev.opsbot.core.git.ReleaseNotes;
import dev.opsbot.core.git.ReleasePlan;
import dev.opsbot.core.git.ReleaseRepository;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.runbook.Operations;
import dev.opsbot.core.runbook.Step;
import dev.opsbot.core.runbook.StepBody;
import dev.opsbot.core.runbook.StepContext;
import dev.opsbot.core.runbook.StepFailedException;
import dev.opsbot.core.runbook.StepFields;
import dev.opsbot.core.runbook.StepKind;
import dev.opsbot.core.runbook.Template;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code release-tag}: "How to cut a release tag" of the production runbook. Fetches the bot's
 * clone, refuses a dirty tree, a branch releases are not cut from, an existing tag or a name that
 * is not {@code v<semver>}; optionally checks that the images of the commit
 * ({@code <repository>:sha-<short>} of each listed service) are in the registry; creates an
 * annotated tag naming the requester, pushes it, and posts the commits since the previous tag.
 */
public record ReleaseTagStep(String tag, List<String> images) implements Step {

    /** {@code release-tag} in a runbook. */
    public static final class Kind implements StepKind {
        @Override
        public String key() {
            return "release-tag";
        }

        @Override
        public StepFields fields() {
            return StepFields.required("tag").withOptional("images");
        }

        @Override
        public Step build(StepBody body) {
            return new ReleaseTagStep(body.string("tag"), body.strings("images", List.of()));
        }
    }

    public ReleaseTagStep {
        images = images == null ? List.of() : List.copyOf(images);
    }

    @Override
    public String title(Template t) {
        return "tag " + t.apply(tag) + " and push it";
    }

    @Override
    public List<String> preview(StepContext ctx) {
        ReleaseSettings s = ctx.operations().release();
        String name = ctx.template().apply(tag);
        List<String> lines = new ArrayList<>();
        lines.add(s.repository() == null ? "releases are not configured (release.repository)"
                : "tag " + name + " on " + String.join(" or ", s.branches()) + " of " + s.repository().getFileName()
                + " after fetching " + s.remote() + ", then push it to " + s.remote());
        if (!images.isEmpty()) lines.add("first check that the images of " + String.join(", ", images) + " for that commit are in the registry");
        if (s.notesFile()) lines.add("commit the release notes as " + s.notesDir() + "/" + name + ".md and push them");
        return lines;
    }

    @Override
    public void run(StepContext ctx) throws Exception {
        Operations ops = ctx.operations();
        ReleaseSettings settings = ops.release();
        String name = ctx.template().apply(tag);
        try (ReleaseRepository repo = ReleaseRepository.open(settings)) {
            ctx.out().line("fetching " + settings.remote() + " into " + settings.repository());
            ReleasePlan plan = repo.prepare(name);
            ctx.out().line(plan.branch() + " is at " + plan.shortCommit() + "; previous release "
                    + (plan.previousTag() == null ? "none" : plan.previousTag()) + "; " + (plan.commits().size() + plan.moreCommits())
                    + " commit(s) since");
            if (!images.isEmpty()) checkImages(ctx, settings, plan);
            String requester = ops.requester();
            repo.tag(plan, ReleaseNotes.tagMessage(plan, requester, ops.runId()));
            ctx.out().line("created annotated tag " + name + " on " + plan.shortCommit() + " (requested by " + requester + ")");
            repo.push(plan);
            ctx.out().line("pushed " + name + " to " + settings.remote());
            String markdown = ReleaseNotes.markdown(plan, requester, LocalDate.now(ZoneOffset.UTC));
            String notesProblem = null;
            if (settings.notesFile()) {
                notesProblem = repo.commitNotes(plan, markdown);
                ctx.out().line(notesProblem == null ? "pushed " + settings.notesDir() + "/" + name + ".md to " + settings.remote() + "/" + plan.branch()
                        : "⚠ release notes not committed: " + notesProblem);
            }
            Message notes = ReleaseNotes.message(plan, requester);
            if (notesProblem != null) notes = Message.builder(notes.tone(), notes.title()).line(notes.text())
                    .line("⚠ The notes file was not committed: " + notesProblem).code(notes.code()).build();
            ops.post(notes);
            ops.audit("release.tag", name + " on " + plan.branch() + " at " + plan.shortCommit(), "pushed");
        } catch (ReleaseException e) {
            throw new StepFailedException(e.getMessage());
        }
    }

    private void checkImages(StepContext ctx, ReleaseSettings settings, ReleasePlan plan) throws StepFailedException {
        ImageRegistry registry = new ImageRegistry(settings.registryCredentials());
        List<String> missing = new ArrayList<>();
        for (String service : images) {
            String repository = ImageRef.parse(ctx.project().require(service).image()).repository();
            boolean found = registry.exists(repository, plan.imageTag());
            ctx.out().line(repository + ":" + plan.imageTag() + (found ? " is in the registry" : " is NOT in the registry"));
            if (!found) missing.add(service);
        }
        if (!missing.isEmpty()) {
            throw new StepFailedException("the images of " + String.join(", ", missing) + " for " + plan.shortCommit()
                    + " are not in the registry (" + plan.imageTag() + "): wait for the build of " + plan.branch()
                    + " to push them. Nothing was tagged.");
        }
    }
}
