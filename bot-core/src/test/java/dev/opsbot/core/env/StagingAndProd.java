package dev.opsbot.core.env;

import static dev.opsbot.core.testing.DemoStack.NEWER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.Bot;
import dev.opsbot.core.BotSettings;
import dev.opsbot.core.access.AccessPolicy;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.docker.ServiceContainer;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.runbook.Approval;
import dev.opsbot.core.runbook.EnvironmentRules;
import dev.opsbot.core.secrets.EnvSecrets;
import dev.opsbot.core.secrets.Redactor;
import dev.opsbot.core.store.Database;
import dev.opsbot.core.testing.DemoStack;
import dev.opsbot.core.testing.MutableClock;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Two environments behind one {@link Environments}, as the environment tests use them:
 * {@code staging} (a confirmation is enough, bound to #staging) and {@code prod} (one approver,
 * bound to #prod), each a bot of its own on its own database, told to one recording chat.
 */
final class StagingAndProd implements AutoCloseable {
    static final Duration QUICK = Duration.ofSeconds(20);
    static final ChannelRef STAGING_CHANNEL = ChannelRef.of(RecordingChatPort.PLATFORM, "staging");
    static final ChannelRef PROD_CHANNEL = ChannelRef.of(RecordingChatPort.PLATFORM, "prod");
    static final ChannelRef LOBBY = ChannelRef.of(RecordingChatPort.PLATFORM, "lobby");

    final RecordingChatPort chat = new RecordingChatPort();
    final Environments environments;
    private final Path dir;
    private final List<AutoCloseable> opened = new ArrayList<>();

    StagingAndProd(Path dir, DemoStack staging, DockerEngine stagingEngine, DemoStack prod, DockerEngine prodEngine) {
        this.dir = dir;
        Environment s = environment("staging", staging, stagingEngine, new EnvironmentRules(true, null), STAGING_CHANNEL);
        Environment p = environment("prod", prod, prodEngine,
                new EnvironmentRules(false, new Approval(1, AccessPolicy.APPROVER, false, null)), PROD_CHANNEL);
        environments = new Environments(List.of(s, p), null, AccessPolicy.openToAll(), new MutableClock());
        environments.register(chat);
        environments.start();
    }

    private Environment environment(String name, DemoStack stack, DockerEngine docker, EnvironmentRules rules, ChannelRef channel) {
        Path home = dir.resolve(name);
        Database db = Database.open(home.resolve("db/opsbot"));
        Redactor redactor = new Redactor(new EnvSecrets(List.of(stack.composeFile().getParent().resolve(".env"))));
        Bot bot = new Bot(new BotSettings(stack.stack(), RepoRoot.get().resolve("runbooks"), home.resolve("logs"), Duration.ofMinutes(10),
                null, AccessPolicy.openToAll(), null, null, rules), docker.host(), db, redactor, new MutableClock());
        opened.add(db);
        opened.add(bot);
        return new Environment(name, bot, docker.endpoint(), "compose project " + stack.stack().project(),
                List.of(channel.toString()), new ComposeGlance(docker.host(), stack.stack()));
    }

    static Origin as(String user, ChannelRef channel) {
        return new Origin(channel, new UserRef(RecordingChatPort.PLATFORM, user, user, Set.of()));
    }

    Button button(Event e, String label) {
        return chat.message(e.ref()).buttons().stream().filter(b -> b.label().startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no button " + label + " on " + chat.message(e.ref()).plainText()));
    }

    static String tag(ServiceContainer c) {
        return c.image().substring(c.image().lastIndexOf(':') + 1);
    }

    /** Presses a button and returns the run's live message once it has finished. */
    Message pressAndFinish(String user, ChannelRef channel, Event message, String label, Duration run) throws InterruptedException {
        int from = chat.size();
        environments.onPress(as(user, channel), button(message, label).token(), message.ref());
        Event live = chat.awaitPostWithTitle(from, "Running: ", QUICK);
        return chat.awaitState(live.ref(), m -> m.tone() == Tone.SUCCESS || m.tone() == Tone.FAILURE, run);
    }

    /**
     * With prod's engine gone at {@code endpoint}: a prod command and /ops envs say which endpoint
     * failed and why, staging's health still shows, and staging still deploys.
     */
    void assertProdUnreachableWhileStagingDeploys(String endpoint, DemoStack staging, Duration run) throws InterruptedException {
        int from = chat.size();
        environments.onCommand(as("alice", PROD_CHANNEL), "ps");
        Message down = chat.await(from, e -> e.message() != null && e.message().tone() == Tone.FAILURE, QUICK).message();
        assertTrue(down.plainText().contains(endpoint), "names the endpoint: " + down.plainText());
        assertTrue(down.plainText().matches("(?s).*(connection refused|closed without an answer).*"), "says why: " + down.plainText());

        from = chat.size();
        environments.onCommand(as("alice", LOBBY), "envs");
        String text = chat.awaitPostWithTitle(from, "Environments", QUICK).message().plainText();
        assertTrue(text.matches("(?s).*staging.*4/4 services running, all healthy.*"), text);
        assertTrue(text.matches("(?s).*prod.*unreachable: Docker is not reachable at " + endpoint
                + ".*(connection refused|closed without an answer).*"), text);

        from = chat.size();
        environments.onCommand(as("alice", STAGING_CHANNEL), "deploy " + NEWER);
        Event confirm = chat.awaitPostWithTitle(from, "Confirm: deploy " + NEWER, QUICK);
        Message done = pressAndFinish("alice", STAGING_CHANNEL, confirm, "Confirm", run);
        assertEquals(Tone.SUCCESS, done.tone(), "staging still deploys: " + done.plainText());
        assertEquals(NEWER, tag(staging.services().get("backend")));
    }

    @Override
    public void close() throws Exception {
        environments.close();
        for (int i = opened.size() - 1; i >= 0; i--) opened.get(i).close();
    }
}
