package dev.opsbot.core.git;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import java.time.LocalDate;
import java.util.stream.Collectors;

/** The words of a release: the tag's message, the notes file, and the message posted in the channel. */
public final class ReleaseNotes {
    private ReleaseNotes() {
    }

    private static String since(ReleasePlan plan) {
        return plan.previousTag() == null ? "since the beginning" : "since " + plan.previousTag();
    }

    private static String lines(ReleasePlan plan) {
        String list = plan.commits().stream().map(c -> "- " + c.shortId() + " " + c.subject() + " (" + c.author() + ")")
                .collect(Collectors.joining("\n"));
        if (plan.moreCommits() > 0) list += "\n- … and " + plan.moreCommits() + " earlier commit(s)";
        return list.isEmpty() ? "- no commits" : list;
    }

    /** The annotated tag's message: who asked, through which run, and the commits. */
    public static String tagMessage(ReleasePlan plan, String requester, long runId) {
        return "Release " + plan.tag() + "\n\nRequested by " + requester + " through opsbot (run #" + runId + ").\n\n"
                + "Changes " + since(plan) + ":\n" + lines(plan) + "\n";
    }

    /** {@code docs/changes/<tag>.md}. */
    public static String markdown(ReleasePlan plan, String requester, LocalDate date) {
        return "# " + plan.tag() + "\n\n"
                + "Released " + date + " by " + requester + " from " + plan.branch() + " at " + plan.shortCommit() + ". "
                + "Images: `:" + plan.version() + "` (and `:" + plan.imageTag() + "`).\n\n"
                + "## Changes " + since(plan) + "\n\n" + lines(plan) + "\n";
    }

    public static Message message(ReleasePlan plan, String requester) {
        int count = plan.commits().size() + plan.moreCommits();
        return Message.builder(Tone.SUCCESS, "Released " + plan.tag())
                .line(plan.tag() + " is on " + plan.branch() + " at " + plan.shortCommit() + ", tagged for " + requester + ". "
                        + count + " commit(s) " + since(plan) + ".")
                .line("Once the publish workflow has pushed the images: /ops deploy " + plan.version())
                .code(lines(plan))
                .build();
    }
}
