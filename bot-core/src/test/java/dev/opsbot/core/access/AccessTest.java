package dev.opsbot.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.TestBot;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may do what, enforced in the core. The runbooks here change nothing on a host: their
 * "change" is a request to a local HTTP endpoint the test counts, so every refusal can be
 * checked by what did not happen.
 */
@Timeout(60)
class AccessTest {
    private static final Duration QUICK = Duration.ofSeconds(15);
    private static final ChannelRef OPS = RecordingChatPort.CHANNEL;
    private static final ChannelRef RANDOM = ChannelRef.of(RecordingChatPort.PLATFORM, "random");
    private static final ChannelRef DM = new ChannelRef(RecordingChatPort.PLATFORM, "D42", true);

    private static final AccessPolicy POLICY = new AccessPolicy(Map.of(
            AccessPolicy.VIEWER, List.of("test:vera", "test:group:oncall"),
            AccessPolicy.DEPLOYER, List.of("test:dave", "test:dora"),
            AccessPolicy.APPROVER, List.of("test:anna", "test:arno"),
            AccessPolicy.ADMIN, List.of("test:root")), AccessPolicy.DEFAULT_IMPLIES, false, 8);

    @TempDir
    Path dir;
    HttpServer target;
    final AtomicInteger changes = new AtomicInteger();
    RecordingChatPort chat;
    TestBot bot;
    DockerEngine noDocker;

    @BeforeEach
    void setUp() throws Exception {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/change", exchange -> {
            changes.incrementAndGet();
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes());
            exchange.close();
        });
        target.start();
        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/change";
        Path runbooks = Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(runbooks.resolve("status.yml"), "name: status\nsummary: look\nsteps:\n  - http-check: {url: \"" + url + "\", retries: 1}\n");
        Files.writeString(runbooks.resolve("bump.yml"), "name: bump\nsummary: change\nmutates: true\nchannels: [ops]\n"
                + "steps:\n  - http-check: {url: \"" + url + "\", retries: 1}\n");
        Files.writeString(runbooks.resolve("ship.yml"), "name: ship\nsummary: change with approval\nmutates: true\n"
                + "approval: {approvers: 2, role: approver, expires: 15m}\nsteps:\n  - http-check: {url: \"" + url + "\", retries: 1}\n");
        Files.writeString(runbooks.resolve("hold.yml"), "name: hold\nsummary: a change that waits for an answer\nmutates: true\nsteps:\n"
                + "  - choice: {question: \"go on?\", options: [{label: Go}, {label: Stop}], wait: 1m}\n"
                + "  - http-check: {url: \"" + url + "\", retries: 1}\n");
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stackDir.resolve(".env"));
        noDocker = DockerEngine.connect("unix://" + dir.resolve("none.sock"));
        chat = new RecordingChatPort();
        bot = new TestBot(dir, new Stack("demo", stackDir.resolve("docker-compose.yml"), "opsbot-access", Map.of()),
                noDocker.host(), chat, runbooks, POLICY);
    }

    @AfterEach
    void tearDown() {
        bot.close();
        noDocker.close();
        target.stop(0);
    }

    private static Origin as(String user, ChannelRef where, String... groups) {
        return new Origin(where, new UserRef(RecordingChatPort.PLATFORM, user, user, Set.of(groups)));
    }

    /** Types a command and returns what came back first: a whisper (refusal) or a post (answer, question, run). */
    private Event type(Origin who, String text) throws InterruptedException {
        int from = chat.size();
        bot.bot.onCommand(who, text);
        return chat.await(from, e -> e.kind().equals("whisper") || e.kind().equals("post"), QUICK);
    }

    private Event press(Origin who, Event message, String label) throws InterruptedException {
        int from = chat.size();
        if (message.ref() == null) throw new AssertionError("not a message: " + message.message().plainText());
        var button = chat.message(message.ref()).buttons().stream().filter(b -> b.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + label + " button; events:\n" + chat.describe(0)));
        bot.bot.onPress(who, button.token(), message.ref());
        return chat.await(from, e -> true, QUICK);
    }

    private Message finished(Event live) throws InterruptedException {
        return chat.awaitState(live.ref(), m -> m.tone() != Tone.PROGRESS, QUICK);
    }

    @ParameterizedTest(name = "[{index}] {0} in {1}: /ops {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            // viewers look, do not change
            "vera  | ops    | status        | allowed",
            "vera  | ops    | ps            | allowed",
            "vera  | ops    | bump          | refused: needs the deployer role",
            "vera  | ops    | audit         | refused: needs the admin role",
            // a Slack user group / Discord role grants a role too
            "grace | ops    | status        | refused: needs the viewer role",
            // deployers change, in the runbook's channels only
            "dave  | ops    | bump          | allowed",
            "dave  | random | bump          | refused: runs only in ops",
            "dave  | dm     | status        | refused: direct messages are not enabled",
            "dave  | ops    | unlock --force | refused: needs the admin role",
            // admins hold every role
            "root  | ops    | bump          | allowed",
            "root  | ops    | unlock --force | allowed",
            // strangers hold none
            "eve   | ops    | status        | refused: needs the viewer role",
            "eve   | ops    | help          | allowed",
    })
    void rolesAndPlaces(String user, String where, String command, String outcome) throws Exception {
        ChannelRef channel = switch (where) {
            case "ops" -> OPS;
            case "random" -> RANDOM;
            default -> DM;
        };
        Origin who = user.equals("grace") ? as(user, channel) : as(user, channel);
        Event first = type(who, command);
        if (outcome.equals("allowed")) {
            assertFalse(first.kind().equals("whisper") && first.message().title().equals("Not done"), first.message().plainText());
        } else {
            assertEquals("whisper", first.kind(), "a refusal is private: " + first.message().plainText());
            String why = outcome.substring("refused: ".length());
            assertTrue(first.message().plainText().toLowerCase().contains(why.toLowerCase()), first.message().plainText());
            assertEquals(0, changes.get(), "nothing ran");
            assertTrue(bot.bot.services().audit().recent(5).stream().anyMatch(a -> a.actor().equals("test:" + user)
                    && (a.action().equals("refused") || a.outcome().startsWith("refused"))), "the refusal is audited");
        }
    }

    @Test
    void aGroupMembershipGrantsItsRole() throws Exception {
        Event answer = type(as("grace", OPS, "oncall"), "status");
        assertEquals("post", answer.kind(), answer.message().plainText());
        assertTrue(finished(answer).tone() == Tone.SUCCESS);
    }

    @Test
    void fourEyesTheRequesterCannotApproveTwoOthersMust() throws Exception {
        Event ask = type(as("dave", OPS), "ship");
        assertTrue(ask.message().title().startsWith("Approval needed: ship"), ask.message().plainText());
        String approveToken = ask.message().buttons().get(0).token();
        assertTrue(ask.message().plainText().contains("2 approval(s) from the approver role, not dave"));

        Event own = press(as("dave", OPS), ask, "Approve");
        assertTrue(own.message().text().contains("Four eyes"), own.message().plainText());
        Event noRole = press(as("dora", OPS), ask, "Approve");
        assertTrue(noRole.message().text().contains("needs the approver role"), noRole.message().plainText());

        press(as("anna", OPS), ask, "Approve");
        chat.awaitState(ask.ref(), m -> m.plainText().contains("Approved by: anna"), QUICK);
        assertEquals(0, changes.get(), "one approval of two runs nothing");
        Event twice = press(as("anna", OPS), ask, "Approve");
        assertTrue(twice.message().title().contains("already approved"), twice.message().plainText());

        int from = chat.size();
        press(as("arno", OPS), ask, "Approve");
        Event live = chat.awaitPostWithTitle(from, "Running: ship", QUICK);
        assertEquals(Tone.SUCCESS, finished(live).tone());
        assertEquals(1, changes.get());
        assertTrue(chat.message(live.ref()).plainText().contains("Confirmed by: anna, arno"));
        assertTrue(chat.message(ask.ref()).buttons().isEmpty(), "decided requests lose their buttons");

        from = chat.size();
        bot.bot.onPress(as("root", OPS), approveToken, ask.ref());
        Event late = chat.awaitWhisper(from, QUICK);
        assertTrue(late.message().title().contains("Already decided"), late.message().plainText());
        assertEquals(1, changes.get(), "a double press changes nothing");
    }

    @Test
    void denyEndsTheRequestAndApprovalsExpire() throws Exception {
        Event ask = type(as("dave", OPS), "ship");
        press(as("anna", OPS), ask, "Deny");
        chat.awaitState(ask.ref(), m -> m.title().startsWith("Denied: ship"), QUICK);

        Event second = type(as("dave", OPS), "ship");
        bot.clock.advance(Duration.ofMinutes(16));
        Event expired = press(as("anna", OPS), second, "Approve");
        assertTrue(expired.message().title().contains("expired"), expired.message().plainText());
        chat.awaitState(second.ref(), m -> m.title().startsWith("Expired"), QUICK);
        assertEquals(0, changes.get());
    }

    @Test
    void aPendingApprovalStillWorksAfterARestart() throws Exception {
        Event ask = type(as("dave", OPS), "ship");
        press(as("anna", OPS), ask, "Approve");
        chat.awaitState(ask.ref(), m -> m.plainText().contains("Approved by: anna"), QUICK);
        String approve = chat.message(ask.ref()).buttons().get(0).token();
        Stack stack = new Stack("demo", dir.resolve("stack/docker-compose.yml"), "opsbot-access", Map.of());
        bot.close();

        bot = new TestBot(dir, stack, noDocker.host(), chat, dir.resolve("runbooks"), POLICY);
        int from = chat.size();
        bot.bot.onPress(as("arno", OPS), approve, ask.ref());
        Event live = chat.awaitPostWithTitle(from, "Running: ship", QUICK);
        assertEquals(Tone.SUCCESS, finished(live).tone());
        assertTrue(chat.message(live.ref()).plainText().contains("Confirmed by: anna, arno"), "anna's approval was kept");
        assertEquals(1, changes.get());
    }

    @Test
    void aForgedOrForeignPressChangesNothing() throws Exception {
        Event ask = type(as("dave", OPS), "bump");
        var confirm = chat.message(ask.ref()).buttons().get(0);
        int from = chat.size();
        bot.bot.onPress(as("dave", OPS), confirm.token() + "x", ask.ref());
        assertTrue(chat.awaitWhisper(from, QUICK).message().title().contains("not valid"));
        from = chat.size();
        bot.bot.onPress(as("dave", RANDOM), confirm.token(), ask.ref());
        assertTrue(chat.awaitWhisper(from, QUICK).message().title().contains("another channel"));
        from = chat.size();
        bot.bot.onPress(as("dora", OPS), confirm.token(), ask.ref());
        assertTrue(chat.awaitWhisper(from, QUICK).message().title().contains("Only dave"));
        assertEquals(0, changes.get());
    }

    @Test
    void oneChangeAtATimeAndOnlyTheRequesterOrAnAdminCancels() throws Exception {
        Event ask = type(as("dave", OPS), "hold");
        int from = chat.size();
        press(as("dave", OPS), ask, "Confirm");
        Event question = chat.awaitPostWithTitle(from, "asks: go on?", QUICK);
        Event live = chat.awaitPostWithTitle(from, "Running: hold", QUICK);

        Event busy = type(as("dora", OPS), "bump");
        assertEquals("whisper", busy.kind());
        assertTrue(busy.message().text().contains("dave is running hold (run #1)"), busy.message().plainText());

        Event notYours = type(as("dora", OPS), "cancel 1");
        assertTrue(notYours.message().text().contains("Only dave"), notYours.message().plainText());

        type(as("root", OPS), "cancel 1");
        Message cancelled = finished(live);
        assertEquals(Tone.WARNING, cancelled.tone(), cancelled.plainText());
        assertTrue(cancelled.title().startsWith("Cancelled"), cancelled.plainText());
        assertTrue(chat.message(question.ref()).buttons().isEmpty());

        Event free = type(as("dora", OPS), "bump");
        assertTrue(free.message().title().startsWith("Confirm: bump"), "the lock went with the run: " + free.message().plainText());
        assertEquals(0, changes.get());
    }

    @Test
    void runOutputGoesIntoTheConfirmationsThreadWhereThePlatformSaysSo() throws Exception {
        chat.runsInThreads(true);
        Event ask = type(as("dave", OPS), "bump");
        int from = chat.size();
        press(as("dave", OPS), ask, "Confirm");
        Event live = chat.await(from, e -> e.kind().equals("reply") && e.message().title().startsWith("Running: bump"), QUICK);
        assertEquals(Tone.SUCCESS, finished(live).tone());
        assertTrue(chat.events().subList(from, chat.size()).stream()
                .noneMatch(e -> e.kind().equals("post") && e.message().title().contains("bump")), "nothing new in the channel itself");
    }

    @Test
    void aFloodOfCommandsIsCutOffPerPerson() throws Exception {
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            Event e = type(as("vera", OPS), "help");
            if (e.message().text().contains("Too many commands")) refused++;
        }
        assertEquals(4, refused, "8 a minute are answered, the rest refused");
        assertEquals("post", type(as("dave", OPS), "status").kind(), "others are not affected");
    }
}
