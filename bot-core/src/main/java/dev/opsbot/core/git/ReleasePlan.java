package dev.opsbot.core.git;

import java.util.List;

/**
 * A release about to be cut: the tag, the branch and commit it points at, the previous release
 * tag (null for the first), and the commits since it, newest first.
 */
public record ReleasePlan(String tag, String branch, String commit, String previousTag, List<CommitLine> commits,
                          int moreCommits) {

    /** One commit of the release notes. */
    public record CommitLine(String id, String subject, String author) {
        public String shortId() {
            return id.substring(0, 7);
        }
    }

    public ReleasePlan {
        commits = List.copyOf(commits);
    }

    public String shortCommit() {
        return commit.substring(0, 7);
    }

    /** The image tag the publish workflow gives this commit's images. */
    public String imageTag() {
        return "sha-" + shortCommit();
    }

    /** The version without its {@code v}: the image tag the publish workflow gives the release. */
    public String version() {
        return tag.substring(1);
    }
}
