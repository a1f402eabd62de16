package dev.opsbot.core.testing;

import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.docker.DockerHost;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.secrets.EnvSecrets;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.secrets.SecretSettings;
import dev.opsbot.core.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A real bot for tests: a fresh H2 file (or a database the test opened), the repository's runbooks, a stack, a chat port.
 * Closing it closes the bot and the database (not the stack, which the test owns).
 */
public final class TestBot implements AutoCloseable {
    public final Bot bot;
    public final Database db;
    public final MutableClock clock = new MutableClock();

    public TestBot(Path dir, Stack stack, DockerHost docker, ChatPort port) {
        this(dir, stack, docker, port, RepoRoot.get().resolve("runbooks"));
    }

    public TestBot(Path dir, Stack stack, DockerHost docker, ChatPort port, Path runbooks) {
        this(dir, stack, docker, port, runbooks, AccessPolicy.openToAll());
    }

    public TestBot(Path dir, Stack stack, DockerHost docker, ChatPort port, Path runbooks, AccessPolicy access) {
        this(dir, stack, docker, port, runbooks, access, null, null);
    }

    /** With release and secret settings (null for the defaults). */
    public TestBot(Path dir, Stack stack, DockerHost docker, ChatPort port, Path runbooks, AccessPolicy access,
                   ReleaseSettings release, SecretSettings secrets) {
        this(Database.open(dir.resolve("db/opsbot")), dir, stack, docker, port, runbooks, access, release, secrets);
    }

    /** On a database the test opened (a PostgreSQL schema, say), which closing the bot closes too; everyone may do anything. */
    public TestBot(Database db, Path dir, Stack stack, DockerHost docker, ChatPort port) {
        this(db, dir, stack, docker, port, RepoRoot.get().resolve("runbooks"), AccessPolicy.openToAll(), null, null);
    }

    /** On a database the test opened, with a runbooks folder of its own; everyone may do anything. */
    public TestBot(Database db, Path dir, Stack stack, DockerHost docker, ChatPort port, Path runbooks) {
        this(db, dir, stack, docker, port, runbooks, AccessPolicy.openToAll(), null, null);
    }

    private TestBot(Database db, Path dir, Stack stack, DockerHost docker, ChatPort port, Path runbooks, AccessPolicy access,
                    ReleaseSettings release, SecretSettings secrets) {
        this.db = db;
        Redactor redactor = new Redactor(new EnvSecrets(List.of(stack.composeFile().toAbsolutePath().getParent().resolve(".env"))));
        this.bot = new Bot(new BotSettings(stack, runbooks, dir.resolve("logs"), Duration.ofMinutes(10), null, access, release, secrets),
                docker, db, redactor, clock);
        bot.register(port);
        bot.start();
    }

    public static Origin as(String user, ChatPort port) {
        return new Origin(RecordingChatPort.CHANNEL, new UserRef(port.platform(), user, user, Set.of()));
    }

    public void type(String user, String text, ChatPort port) {
        bot.onCommand(as(user, port), text);
    }

    public void press(String user, String token, MessageRef message, ChatPort port) {
        bot.onPress(as(user, port), token, message);
    }

    /**
     * Waits until the bot has read its runbook folder again after an edit the test just made.
     * Commands see an edit once the file system signals it (inotify, delivered by a thread of the
     * JDK's a moment after the write) or within a second; a command typed in between still gets
     * the version before the edit, as a person typing that fast would.
     */
    public void awaitRunbooksReread(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!bot.catalog().refreshWhenChanged()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the runbook folder was not read again within " + timeout);
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        bot.close();
        db.close();
    }
}
