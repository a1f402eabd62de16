package dev.opsbot.slack;

import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An inbox that records what the adapter delivers, for tests to take in order. */
final class RecordingInbox implements ChatInbox {

    sealed interface Event permits Command, Press, ModalSubmit {
        Origin origin();
    }

    record Command(Origin origin, String text) implements Event { }

    record Press(Origin origin, String token, MessageRef message) implements Event { }

    record ModalSubmit(Origin origin, String token, Map<String, String> values) implements Event { }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    volatile boolean overloaded;

    @Override
    public Optional<String> turnedAway(Origin origin, String text) {
        return overloaded ? Optional.of(BUSY) : Optional.empty();
    }

    @Override
    public void onCommand(Origin origin, String text) {
        events.add(new Command(origin, text));
    }

    @Override
    public void onPress(Origin origin, String token, MessageRef message) {
        events.add(new Press(origin, token, message));
    }

    @Override
    public void onModalSubmit(Origin origin, String token, Map<String, String> values) {
        events.add(new ModalSubmit(origin, token, values));
    }

    /** The next event, which must be of {@code type}, within {@code timeout}. */
    <E extends Event> E next(Class<E> type, Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) throw new AssertionError("nothing reached the inbox within " + timeout);
        if (!type.isInstance(e)) throw new AssertionError("expected a " + type.getSimpleName() + " but got " + e);
        return type.cast(e);
    }

    /** Fails if anything reaches the inbox within {@code wait}. */
    void assertNothingWithin(Duration wait) throws InterruptedException {
        Event e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (e != null) throw new AssertionError("expected nothing in the inbox but got " + e);
    }
}
