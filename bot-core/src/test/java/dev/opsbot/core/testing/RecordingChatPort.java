package dev.opsbot.core.testing;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-memory chat platform for driving the core in tests: it keeps every message as last
 * shown, every whisper, every update and every attachment, and lets a test wait for one.
 */
public final class RecordingChatPort implements ChatPort {
    public static final String PLATFORM = "test";
    public static final ChannelRef CHANNEL = ChannelRef.of(PLATFORM, "ops");

    /** Something the bot did on the platform. */
    public record Event(String kind, MessageRef ref, Message message, Origin to, String attachment) { }

    private final ChatLimits limits;
    private volatile boolean runsInThreads;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Message> current = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();

    public RecordingChatPort() {
        this(new ChatLimits(4000, 1500, Duration.ofMillis(200)));
    }

    public RecordingChatPort(ChatLimits limits) {
        this.limits = limits;
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public ChatLimits limits() {
        return limits;
    }

    @Override
    public boolean runsInThreads() {
        return runsInThreads;
    }

    /** Makes this platform put run output in a thread under the confirmation. */
    public void runsInThreads(boolean yes) {
        runsInThreads = yes;
    }

    @Override
    public synchronized MessageRef post(ChannelRef channel, Message message) {
        MessageRef ref = new MessageRef(channel, "m" + ids.incrementAndGet());
        current.put(ref.id(), message);
        record(new Event("post", ref, message, null, null));
        return ref;
    }

    @Override
    public synchronized void update(MessageRef message, Message replacement) {
        current.put(message.id(), replacement);
        record(new Event("update", message, replacement, null, null));
    }

    @Override
    public synchronized MessageRef reply(MessageRef parent, Message message) {
        MessageRef ref = new MessageRef(parent.channel(), "m" + ids.incrementAndGet());
        current.put(ref.id(), message);
        record(new Event("reply", ref, message, null, null));
        return ref;
    }

    @Override
    public synchronized void whisper(Origin origin, Message message) {
        record(new Event("whisper", null, message, origin, null));
    }

    @Override
    public synchronized void attach(MessageRef parent, String fileName, Path file) {
        try {
            record(new Event("attach", parent, null, null, fileName + "\n" + Files.readString(file)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void record(Event e) {
        events.add(e);
        notifyAll();
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    public synchronized Message message(MessageRef ref) {
        return current.get(ref.id());
    }

    /** Waits for the first event from index {@code from} on that matches; fails the test on timeout. */
    public synchronized Event await(int from, Predicate<Event> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = from;
        while (true) {
            for (; seen < events.size(); seen++) {
                if (match.test(events.get(seen))) return events.get(seen);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching chat event within " + timeout + "; events:\n" + describe(from));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    public Event awaitPostWithTitle(int from, String titlePart, Duration timeout) throws InterruptedException {
        return await(from, e -> (e.kind().equals("post") || e.kind().equals("reply")) && e.message().title().contains(titlePart), timeout);
    }

    public Event awaitWhisper(int from, Duration timeout) throws InterruptedException {
        return await(from, e -> e.kind().equals("whisper"), timeout);
    }

    /** The latest content of a message, waiting until it satisfies {@code match}. */
    public synchronized Message awaitState(MessageRef ref, Predicate<Message> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!match.test(current.get(ref.id()))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("message " + ref.id() + " never matched; it reads:\n" + current.get(ref.id()).plainText()
                        + "\nevents:\n" + describe(0));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return current.get(ref.id());
    }

    public synchronized int size() {
        return events.size();
    }

    public synchronized Optional<Event> lastWithButtons() {
        for (int i = events.size() - 1; i >= 0; i--) {
            Event e = events.get(i);
            if (e.message() != null && !e.message().buttons().isEmpty() && e.ref() != null) return Optional.of(e);
        }
        return Optional.empty();
    }

    public synchronized String describe(int from) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < events.size(); i++) {
            Event e = events.get(i);
            out.append(i).append(' ').append(e.kind()).append(' ').append(e.ref() == null ? "" : e.ref().id()).append(": ")
                    .append(e.message() == null ? e.attachment().lines().findFirst().orElse("")
                            : e.kind().equals("whisper") ? e.message().plainText().replace('\n', ' ') : e.message().title()).append('\n');
        }
        return out.toString();
    }
}
