package dev.opsbot.core.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.testing.GitRemote;
import dev.opsbot.core.testing.LocalRegistry;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "How to cut a release tag" through the bot, on real repositories in a temp folder: a bare
 * origin, a developer's clone, the bot's clone. No Docker engine is needed; the registry
 * check uses the local registry when it answers.
 */
@Timeout(60)
class ReleaseTest {
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    GitRemote git;
    RevCommit previous;
    RevCommit health;
    RevCommit login;
    DockerEngine noDocker;
    String registryRepo = "opsbot-release-test-" + UUID.randomUUID().toString().substring(0, 8);
    Stack stack;
    RecordingChatPort chat = new RecordingChatPort();
    TestBot bot;

    @BeforeEach
    void repositories() throws Exception {
        git = new GitRemote(dir);
        previous = git.commit("app.py", "v0\n", "First feature", "dana");
        git.push("refs/heads/main");
        git.tag("v0.0.9");
        health = git.commit("health.py", "ok\n", "Add the health endpoint", "erin");
        login = git.commit("login.py", "fixed\n", "Fix login redirect", "dana");
        git.push("refs/heads/main");
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.writeString(stackDir.resolve("docker-compose.yml"), "services:\n"
                + "  backend:\n    image: " + LocalRegistry.HOST + "/" + registryRepo + "/backend:sha-1a2b3c4\n"
                + "  worker:\n    image: " + LocalRegistry.HOST + "/" + registryRepo + "/worker:sha-1a2b3c4\n");
        stack = new Stack("app", stackDir.resolve("docker-compose.yml"), "opsbot-release-test", Map.of());
        noDocker = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"));
    }

    @AfterEach
    void close() {
        if (bot != null) bot.close();
        if (noDocker != null) noDocker.close();
        if (git != null) git.close();
    }

    /** The repository's release runbook, with or without its registry check. */
    private Path runbooks(boolean checkImages) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(checkImages ? "runbooks-images" : "runbooks"));
        String text = Files.readString(RepoRoot.get().resolve("runbooks/release.yml"));
        if (!checkImages) text = text.replace(", images: [backend, worker]", "");
        Files.writeString(folder.resolve("release.yml"), text);
        return folder;
    }

    private void startBot(ReleaseSettings settings, boolean checkImages) throws Exception {
        bot = new TestBot(dir, stack, noDocker.host(), chat, runbooks(checkImages), AccessPolicy.openToAll(), settings, null);
    }

    private ReleaseSettings settings() {
        return ReleaseSettings.of(git.bot.getRepository().getWorkTree().toPath());
    }

    /** Types the command, confirms it, and returns the run's final message. */
    private Message release(String tag) throws Exception {
        int from = chat.size();
        bot.type("alice", "release " + tag, chat);
        Event ask = chat.awaitPostWithTitle(from, "Confirm: release " + tag, QUICK);
        bot.press("alice", chat.message(ask.ref()).buttons().get(0).token(), ask.ref(), chat);
        Event live = chat.awaitPostWithTitle(from, "Running: release " + tag, QUICK);
        return chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
    }

    private Ref originTag(String tag) throws Exception {
        try (Git origin = git.openOrigin()) {
            return origin.getRepository().exactRef(Constants.R_TAGS + tag);
        }
    }

    @Test
    void theTagIsPushedToOriginNamingTheRequesterAndTheNotesListTheCommitsSinceThePreviousTag() throws Exception {
        startBot(settings(), false);
        Message done = release("v0.1.0");
        assertEquals(Tone.SUCCESS, done.tone(), done.plainText());

        Ref tag = originTag("v0.1.0");
        assertNotNull(tag, "origin has v0.1.0");
        try (Git origin = git.openOrigin(); RevWalk walk = new RevWalk(origin.getRepository())) {
            RevTag annotated = walk.parseTag(tag.getObjectId());
            assertEquals(login.getName(), annotated.getObject().getName(), "the tag points at origin's main");
            assertTrue(annotated.getFullMessage().contains("Requested by alice"), annotated.getFullMessage());
        }
        Event notes = chat.awaitPostWithTitle(0, "Released v0.1.0", QUICK);
        String text = notes.message().plainText();
        assertTrue(text.contains(health.abbreviate(7).name() + " Add the health endpoint (erin)"), text);
        assertTrue(text.contains(login.abbreviate(7).name() + " Fix login redirect (dana)"), text);
        assertFalse(text.contains("First feature"), "the commit of v0.0.9 is not in the notes: " + text);
        assertTrue(text.contains("since v0.0.9") && text.contains("/ops deploy 0.1.0"), text);
    }

    @Test
    void aDirtyWorkingTreeIsRefusedAndNothingIsTagged() throws Exception {
        Files.writeString(git.bot.getRepository().getWorkTree().toPath().resolve("README.md"), "edited by hand\n");
        startBot(settings(), false);
        Message done = release("v0.1.0");
        assertEquals(Tone.FAILURE, done.tone());
        assertTrue(done.text().contains("not clean") && done.text().contains("README.md"), done.text());
        assertNull(originTag("v0.1.0"));
    }

    @Test
    void aBranchOtherThanMainOrAReleaseBranchIsRefused() throws Exception {
        git.developer.checkout().setCreateBranch(true).setName("feature/login").call();
        git.push("refs/heads/feature/login");
        git.bot.fetch().call();
        git.bot.checkout().setCreateBranch(true).setName("feature/login").setStartPoint("origin/feature/login").call();
        startBot(settings(), false);
        Message done = release("v0.1.0");
        assertEquals(Tone.FAILURE, done.tone());
        assertTrue(done.text().contains("HEAD is on feature/login: tags are cut only from main or release/*"), done.text());
        assertNull(originTag("v0.1.0"));
    }

    @Test
    void aReleaseBranchIsAllowed() throws Exception {
        git.developer.checkout().setCreateBranch(true).setName("release/0.1").call();
        RevCommit fix = git.commit("hotfix.py", "1\n", "Hotfix for 0.1", "erin");
        git.push("refs/heads/release/0.1");
        git.bot.fetch().call();
        git.bot.checkout().setCreateBranch(true).setName("release/0.1").setStartPoint("origin/release/0.1").call();
        startBot(settings(), false);
        assertEquals(Tone.SUCCESS, release("v0.1.1").tone());
        try (Git origin = git.openOrigin()) {
            Ref tag = origin.getRepository().getRefDatabase().peel(originTag("v0.1.1"));
            assertEquals(fix.getName(), tag.getPeeledObjectId().getName());
        }
    }

    @Test
    void anExistingTagIsRefused() throws Exception {
        startBot(settings(), false);
        Message done = release("v0.0.9");
        assertEquals(Tone.FAILURE, done.tone());
        assertTrue(done.text().contains("tag v0.0.9 already exists"), done.text());
    }

    @Test
    void aCloneWithCommitsOriginLacksIsRefused() throws Exception {
        Files.writeString(git.bot.getRepository().getWorkTree().toPath().resolve("local.txt"), "x\n");
        git.bot.add().addFilepattern("local.txt").call();
        git.bot.commit().setMessage("Local only").setSign(false).call();
        startBot(settings(), false);
        Message done = release("v0.1.0");
        assertEquals(Tone.FAILURE, done.tone());
        assertTrue(done.text().contains("has commits that origin/main does not"), done.text());
        assertNull(originTag("v0.1.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0.1.0",      // no v
            "v1.2",       // not three numbers
            "v01.2.3",    // leading zero
            "latest",     // a word
            "v1.2.3;rm"}) // anything after the version
    void aNameThatIsNotVAndASemanticVersionIsRefusedBeforeAnythingIsAsked(String name) throws Exception {
        startBot(settings(), false);
        bot.type("alice", "release " + name, chat);
        Event answer = chat.awaitWhisper(0, QUICK);
        assertTrue(answer.message().plainText().contains("is not a valid <tag>"), answer.message().plainText());
        assertTrue(chat.events().stream().noneMatch(e -> e.message() != null && e.message().title().startsWith("Confirm")));
    }

    @Test
    void theNotesFileIsCommittedAndPushedWhenConfigured() throws Exception {
        startBot(settings().withNotesFile(true), false);
        assertEquals(Tone.SUCCESS, release("v0.1.0").tone());
        git.developer.pull().call();
        Path notes = git.developer.getRepository().getWorkTree().toPath().resolve("docs/changes/v0.1.0.md");
        String text = Files.readString(notes);
        assertTrue(text.startsWith("# v0.1.0") && text.contains("Fix login redirect") && text.contains("by alice"), text);
        assertEquals(login.getName(), originTag("v0.1.0") == null ? null
                : git.openOrigin().getRepository().getRefDatabase().peel(originTag("v0.1.0")).getPeeledObjectId().getName(),
                "the tag is on the released commit, not on the notes commit");
    }

    @Test
    void missingImagesInTheRegistryStopTheReleaseAndPresentOnesLetItThrough() throws Exception {
        LocalRegistry registry = LocalRegistry.require();
        startBot(settings(), true);
        Message refused = release("v0.1.0");
        assertEquals(Tone.FAILURE, refused.tone());
        String shortId = login.abbreviate(7).name();
        assertTrue(refused.text().contains("are not in the registry (sha-" + shortId + ")") && refused.text().contains("Nothing was tagged"),
                refused.text());
        assertNull(originTag("v0.1.0"));
        try {
            registry.copy("opsbot-demo/backend", "sha-1a2b3c4", registryRepo + "/backend", "sha-" + shortId);
            registry.copy("opsbot-demo/worker", "sha-1a2b3c4", registryRepo + "/worker", "sha-" + shortId);
            Message done = release("v0.1.0");
            assertEquals(Tone.SUCCESS, done.tone(), done.plainText());
            assertNotNull(originTag("v0.1.0"));
        } finally {
            registry.deleteAdded();
        }
    }
}
