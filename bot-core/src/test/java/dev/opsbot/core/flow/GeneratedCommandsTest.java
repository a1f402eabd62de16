package dev.opsbot.core.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.command.CommandParser;
import dev.opsbot.core.command.CommandSpec;
import dev.opsbot.core.command.Invocation;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.dockerjava.DockerEngine;
import dev.opsbot.core.engine.Stack;
import dev.opsbot.core.runbook.Parameter;
import dev.opsbot.core.runbook.Runbook;
import dev.opsbot.core.store.RunRecord;
import dev.opsbot.core.testing.ClearMessage;
import dev.opsbot.core.testing.RandomText;
import dev.opsbot.core.testing.RecordingChatPort;
import dev.opsbot.core.testing.RecordingChatPort.Event;
import dev.opsbot.core.testing.RepoRoot;
import dev.opsbot.core.testing.Postgres;
import dev.opsbot.core.testing.StoreVendor;
import dev.opsbot.core.testing.TestBot;
import dev.opsbot.core.testing.Tries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Generated command texts typed into a real bot (the shipped runbooks and one with a parameter
 * of every kind, an H2 file or PostgreSQL, Docker out of reach), each by its own person in a channel of its
 * own so every answer is traced to its command, and the buttons it offers pressed by the wrong
 * person, from the wrong channel, to cancel, or now and then to confirm. Nothing that changes
 * the stack runs before its requester's Confirm; every command is answered with a usage line, a
 * refusal, a confirmation question, a built-in's answer or a read-only run; none in code.
 */
@Tag("property")
@Timeout(300)
class GeneratedCommandsTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();
    /** Commands per run: on PostgreSQL fewer (each costs more), as what is checked there is the store. */
    static final Map<StoreVendor, Integer> COMMANDS = Map.of(StoreVendor.H2, 1_000, StoreVendor.POSTGRESQL, 500);
    private static final int BATCH = 25;
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String SECRET = "change-me-demo-secret-0000";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreVendor.class)
    void nothingRunsWithoutItsConfirmationAndEveryAnswerIsOneOfFourKinds(StoreVendor vendor) throws Exception {
        Path stackDir = Files.createDirectories(dir.resolve("stack"));
        Files.copy(RepoRoot.get().resolve("examples/demo/docker-compose.yml"), stackDir.resolve("docker-compose.yml"));
        Files.copy(RepoRoot.get().resolve("examples/demo/.env.example"), stackDir.resolve(".env"));
        Stack stack = new Stack("demo", stackDir.resolve("docker-compose.yml"), "opsbot-generated", Map.of());
        RecordingChatPort chat = new RecordingChatPort();
        try (DockerEngine unreachable = DockerEngine.connect("unix://" + dir.resolve("no-docker.sock"));
             TestBot bot = new TestBot(vendor.open(POSTGRES.freshSchema(), dir, POSTGRES), dir, stack, unreachable.host(), chat, runbooks())) {
            Map<String, Runbook> runbooks = bot.bot.catalog().all();
            List<String> verbs = bot.bot.commands().stream().map(CommandSpec::verb).toList();
            Typing typing = new Typing(verbs, List.copyOf(runbooks.values()));
            List<String> confirmed = new ArrayList<>();
            List<Typed> batch = new ArrayList<>();
            Tries.check(COMMANDS.get(vendor), typing::next, typed -> {
                batch.add(typed);
                if (batch.size() < BATCH) return;
                try {
                    answerBatch(bot, chat, runbooks, List.copyOf(batch), confirmed, typing.random(batch.get(0)));
                } finally {
                    batch.clear();
                }
            });
            if (!batch.isEmpty()) answerBatch(bot, chat, runbooks, List.copyOf(batch), confirmed, typing.random(batch.get(0)));
            assertEquals(Optional.empty(), bot.bot.services().audit().verify(), "the audit chain holds after every command and press");
        }
    }

    /** The shipped runbooks, and one with a parameter of every kind. */
    private Path runbooks() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("runbooks"));
        try (Stream<Path> shipped = Files.list(RepoRoot.get().resolve("runbooks"))) {
            for (Path f : shipped.filter(f -> f.toString().endsWith(".yml")).toList()) Files.copy(f, folder.resolve(f.getFileName()));
        }
        Files.writeString(folder.resolve("every-kind.yml"), """
                name: every-kind
                summary: a parameter of every kind
                mutates: true
                params:
                  - {name: tag, kind: tag}
                  - {name: service, kind: service, default: backend}
                  - {name: mode, kind: enum, values: [fast, safe], flag: true, default: safe}
                  - {name: count, kind: int, min: 1, max: 5, flag: true, default: "1"}
                  - {name: name, kind: pattern, pattern: '[A-Z][A-Z0-9_]{0,63}', flag: true, default: API_TOKEN}
                steps:
                  - logs: {services: ["${service}"], tail: 5}
                  - run: {service: "${service}", command: [echo, "${tag}", "${mode}", "${count}", "${name}"]}
                """);
        return folder;
    }

    /** One command as typed, by whom and where. */
    record Typed(int n, String text) {
        Origin origin() {
            return new Origin(ChannelRef.of(RecordingChatPort.PLATFORM, "c" + n), new UserRef(RecordingChatPort.PLATFORM, "u" + n, "u" + n, Set.of()));
        }

        @Override
        public String toString() {
            return "#" + n + " /ops " + text;
        }
    }

    private void answerBatch(TestBot bot, RecordingChatPort chat, Map<String, Runbook> runbooks, List<Typed> batch,
                             List<String> confirmed, Random r) {
        try {
            int from = chat.size();
            for (Typed t : batch) bot.bot.onCommand(t.origin(), t.text());
            assertTrue(bot.bot.awaitIdle(SETTLE), "the bot settled");
            Map<String, List<Event>> byChannel = byChannel(chat.events().subList(from, chat.size()));
            List<Event> questions = new ArrayList<>();
            for (Typed t : batch) {
                List<Event> answers = byChannel.getOrDefault("c" + t.n(), List.of());
                try {
                    check(t, answers, runbooks);
                } catch (AssertionError e) {
                    // The batch's last command is what the harness reports; this names the one answered wrong.
                    throw new AssertionError("answering " + t + ": " + e.getMessage(), e);
                }
                answers.stream().filter(e -> e.kind().equals("post") && e.message().title().startsWith("Confirm: ")).forEach(questions::add);
            }
            pressSome(bot, chat, questions, confirmed, r);
            checkRuns(bot, runbooks, confirmed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** What one command was answered with, against what its text asked for. */
    private static void check(Typed t, List<Event> answers, Map<String, Runbook> runbooks) {
        assertFalse(answers.isEmpty(), "no answer to " + t);
        for (Event e : answers) {
            if (e.message() == null) continue;
            Message m = e.message();
            assertFalse(m.title().equals("Something went wrong"), "an unexpected failure: " + m.plainText());
            ClearMessage.check("the answer", m.plainText());
        }
        boolean whispersOnly = answers.stream().allMatch(e -> e.kind().equals("whisper"));
        boolean secret = answers.stream().anyMatch(e -> e.message() != null && e.message().title().startsWith("Not run: the command holds a secret"));
        if (secret) return;
        Invocation inv;
        try {
            inv = new CommandParser().parse(t.text());
        } catch (UsageException expected) {
            assertTrue(whispersOnly, "a usage refusal is private: " + t);
            assertTrue(answers.get(0).message().context().startsWith("Usage: /ops "), "with its usage: " + answers.get(0).message().plainText());
            return;
        }
        Runbook runbook = runbooks.get(inv.verb());
        boolean asked = answers.stream().anyMatch(e -> e.kind().equals("post") && e.message().title().startsWith("Confirm: ")
                && e.message().buttons().stream().map(Button::label).toList().equals(List.of("Confirm", "Cancel")));
        boolean ran = answers.stream().anyMatch(e -> e.message() != null && e.message().title().matches("(Running|Succeeded|Failed|Cancelled): .*"));
        if (runbook != null && runbook.mutates()) {
            assertFalse(ran, "a change ran without its confirmation: " + t);
            assertTrue(asked || whispersOnly && answers.get(0).message().tone() == Tone.WARNING, "asked to confirm, or refused: " + t);
        } else if (runbook == null && whispersOnly && answers.get(0).message().title().startsWith("Unknown command")) {
            assertTrue(answers.get(0).message().context().startsWith("Usage: /ops help"), "with where to look: " + t);
        } else {
            assertFalse(asked, "nothing to confirm for " + t);
        }
    }

    /** Presses some of the questions' buttons: the wrong person, the wrong channel, Cancel, or (rarely) Confirm as asked. */
    private static void pressSome(TestBot bot, RecordingChatPort chat, List<Event> questions, List<String> confirmed, Random r)
            throws InterruptedException {
        int from = chat.size();
        Map<String, List<String>> expected = new HashMap<>();
        for (Event q : questions) {
            String channel = q.ref().channel().id();
            String n = channel.substring(1);
            Button confirm = q.message().buttons().get(0);
            Button cancel = q.message().buttons().get(1);
            int roll = r.nextInt(10);
            Origin requester = new Origin(q.ref().channel(), new UserRef(RecordingChatPort.PLATFORM, "u" + n, "u" + n, Set.of()));
            if (roll < 3) {
                bot.bot.onPress(new Origin(q.ref().channel(), new UserRef(RecordingChatPort.PLATFORM, "mallory", "mallory", Set.of())),
                        confirm.token(), q.ref());
                expected.put(channel, List.of("Only u" + n + " can confirm this"));
            } else if (roll < 5) {
                bot.bot.onPress(new Origin(ChannelRef.of(RecordingChatPort.PLATFORM, "elsewhere"), requester.user()), confirm.token(), q.ref());
                expected.put("elsewhere", List.of("This button belongs to another channel"));
            } else if (roll < 7) {
                bot.bot.onPress(requester, cancel.token(), q.ref());
                expected.put(channel, List.of("Cancelled: "));
            } else if (roll < 8) {
                bot.bot.onPress(requester, confirm.token(), q.ref());
                confirmed.add(q.message().title().substring("Confirm: ".length()));
                // Or refused while another confirmed run holds the stack.
                expected.put(channel, List.of("Confirmed: ", "Not done"));
            } else {
                String forged = r.nextBoolean() ? RandomText.mutate(r, confirm.token()) : RandomText.any(r, 30);
                if (forged.equals(confirm.token()) || forged.equals(cancel.token())) continue;
                bot.bot.onPress(requester, forged, q.ref());
                expected.put(channel, List.of("This button is not valid"));
            }
        }
        assertTrue(bot.bot.awaitIdle(SETTLE), "the bot settled");
        List<Event> events = chat.events().subList(from, chat.size());
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<Message> answers = events.stream().filter(ev -> ev.message() != null && channel(ev).equals(e.getKey()))
                    .map(Event::message).toList();
            assertTrue(answers.stream().anyMatch(m -> e.getValue().stream().anyMatch(m.title()::startsWith)), "pressed in " + e.getKey()
                    + ": " + e.getValue() + " expected, got " + answers.stream().map(Message::plainText).toList());
        }
        for (Event e : events) if (e.message() != null) ClearMessage.check("the answer to a press", e.message().plainText());
    }

    /** Every run of a runbook that changes the stack was confirmed by its requester. */
    private static void checkRuns(TestBot bot, Map<String, Runbook> runbooks, List<String> confirmed) {
        List<String> changes = bot.bot.services().runs().recent(100_000).stream()
                .filter(run -> runbooks.containsKey(run.runbook()) && runbooks.get(run.runbook()).mutates())
                .map(RunRecord::invocation).toList();
        List<String> left = new ArrayList<>(confirmed);
        for (String run : changes) assertTrue(left.remove(run), "ran without a confirmation: " + run + " (confirmed: " + confirmed + ")");
    }

    private static Map<String, List<Event>> byChannel(List<Event> events) {
        return events.stream().collect(Collectors.groupingBy(GeneratedCommandsTest::channel, LinkedHashMap::new, Collectors.toList()));
    }

    private static String channel(Event e) {
        if (e.to() != null) return e.to().channel().id();
        return e.ref() != null ? e.ref().channel().id() : "";
    }

    /** Command texts: mostly what people type to this bot, some of it wrong, some pasted secrets, some anything at all. */
    private static final class Typing {
        private static final List<String> WORDS = List.of("sha-5d6e7f8", "sha-1a2b3c4", "0.1.0", "v0.1.0", "sha-ZZZ", "backend", "worker",
                "proxy", "web", "database", "API_TOKEN", "SECRET_KEY", "fast", "safe", "3", "9", "#1", "1", "1h", "10m", "forever",
                "--tail", "--force", "--env", "--mode", "--count", "--name", "--reason", "--yes", "\"a b\"", "'", "--", "prod");
        private final List<String> verbs;
        private final List<Runbook> runbooks;
        private int n;

        Typing(List<String> verbs, List<Runbook> runbooks) {
            this.verbs = new ArrayList<>(verbs);
            this.verbs.addAll(List.of("deplyo", "DEPLOY", "rollbak", "shell", "/deploy", "every-kind"));
            this.runbooks = runbooks;
        }

        Typed next(Random r) {
            n++;
            int roll = r.nextInt(20);
            String text;
            if (roll < 8) {
                text = asTheRunbookSays(r, RandomText.pick(r, runbooks));
                if (roll == 0) text = RandomText.mutate(r, text);
            } else if (roll < 14) {
                StringBuilder t = new StringBuilder(RandomText.pick(r, verbs));
                for (int i = r.nextInt(4); i > 0; i--) t.append(' ').append(RandomText.pick(r, WORDS));
                text = t.toString();
            } else if (roll < 16) {
                text = RandomText.mutate(r, RandomText.pick(r, verbs) + " " + RandomText.pick(r, WORDS));
            } else if (roll < 17) {
                text = RandomText.pick(r, List.of("deploy " + SECRET, "logs backend xoxb-123456789012-123456789012-abcdefghijklmnop",
                        "help ghp_abcdefghijklmnopqrstuvwxyz0123456789"));
            } else {
                text = RandomText.any(r, 120);
            }
            return new Typed(n, text);
        }

        /** A runbook's command with a value of the right kind for each parameter (a flag given or left to its default). */
        private static String asTheRunbookSays(Random r, Runbook runbook) {
            StringBuilder t = new StringBuilder(runbook.name());
            for (Parameter p : runbook.params()) {
                if (!p.required() && r.nextBoolean()) continue;
                String value = switch (p.kind()) {
                    case TAG -> RandomText.pick(r, List.of("sha-5d6e7f8", "sha-1a2b3c4", "0.1.0", "sha-" + Long.toHexString(r.nextLong())));
                    case SERVICE -> RandomText.pick(r, p.values().isEmpty() ? List.of("proxy", "backend", "worker", "web") : p.values());
                    case ENUM -> RandomText.pick(r, p.values());
                    case INT -> String.valueOf(Math.max(p.min(), 0) + r.nextInt(5));
                    case PATTERN -> RandomText.pick(r, List.of("API_TOKEN", "SECRET_KEY", "OPENAI_API_KEY", "v0.2.0", "v1.0.0-rc.1"));
                };
                t.append(' ').append(p.flag() ? "--" + p.name() + " " : "").append(value);
            }
            return t.toString();
        }

        /** The presses of a batch are drawn from its first command's try, so a seed repeats them too. */
        Random random(Typed first) {
            return new Random(Tries.seed() ^ first.n());
        }
    }
}
