package dev.opsbot.core.git;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How the bot cuts releases: its own clone of the repository ({@code repository}, null when
 * releases are not configured), the remote to fetch from and push to, the branches a tag may be
 * cut from, credentials for the remote and the registry, who the tag names as tagger, and
 * whether the release notes are also committed as {@code notesDir/<tag>.md}.
 */
public record ReleaseSettings(Path repository, String remote, List<String> branches, RemoteCredentials credentials,
                              String taggerName, String taggerEmail, boolean notesFile, String notesDir,
                              RemoteCredentials registryCredentials) {

    public ReleaseSettings {
        remote = remote == null || remote.isBlank() ? "origin" : remote;
        branches = branches == null || branches.isEmpty() ? List.of("main", "release/*") : List.copyOf(branches);
        taggerName = taggerName == null || taggerName.isBlank() ? "opsbot" : taggerName;
        taggerEmail = taggerEmail == null || taggerEmail.isBlank() ? "opsbot@localhost" : taggerEmail;
        notesDir = notesDir == null || notesDir.isBlank() ? "docs/changes" : notesDir;
    }

    /** Releases not configured: the release step says how to configure them. */
    public static ReleaseSettings none() {
        return new ReleaseSettings(null, null, null, null, null, null, false, null, null);
    }

    public static ReleaseSettings of(Path repository) {
        return new ReleaseSettings(repository, null, null, null, null, null, false, null, null);
    }

    public ReleaseSettings withNotesFile(boolean write) {
        return new ReleaseSettings(repository, remote, branches, credentials, taggerName, taggerEmail, write, notesDir, registryCredentials);
    }

    public ReleaseSettings withCredentials(RemoteCredentials git) {
        return new ReleaseSettings(repository, remote, branches, git, taggerName, taggerEmail, notesFile, notesDir, registryCredentials);
    }

    /** Whether a tag may be cut from {@code branch}: {@code *} in a pattern stands for any text. */
    public boolean allows(String branch) {
        for (String p : branches) {
            String regex = Pattern.quote(p).replace("*", "\\E.+\\Q");
            if (branch.matches(regex)) return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "ReleaseSettings[" + repository + ", remote " + remote + ", branches " + branches
                + (credentials == null ? "" : ", with credentials") + "]";
    }
}
