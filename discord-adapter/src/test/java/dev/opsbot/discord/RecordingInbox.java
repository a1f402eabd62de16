package dev.opsbot.discord;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The core's inbox as a queue of what arrived, for tests to take one by one. */
final class RecordingInbox implements ChatInbox {
    sealed interface Event permits Command, Press, ModalSubmit { }

    record Command(Origin origin, String text) implements Event { }

    record Press(Origin origin, String token, MessageRef message) implements Event { }

    record ModalSubmit(Origin origin, String token, Map<String, String> values) implements Event { }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

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
        events.add(new ModalSubmit(origin, token, Map.copyOf(values)));
    }

    /** The next event, which must be of {@code type} and arrive within ten seconds. */
    <T extends Event> T next(Class<T> type) throws InterruptedException {
        Event event = events.poll(10, TimeUnit.SECONDS);
        assertNotNull(event, "nothing reached the inbox");
        return assertInstanceOf(type, event);
    }

    void assertQuietFor(Duration duration) throws InterruptedException {
        assertNull(events.poll(duration.toMillis(), TimeUnit.MILLISECONDS), "unexpected event in the inbox");
    }
}
