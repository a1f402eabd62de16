package dev.opsbot.app;

import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatAdapter;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.Field;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.UserRef;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chat platform of a terminal: one channel, messages printed to standard output, buttons
 * shown as {@code [1] Confirm  [2] Cancel} and pressed by typing the number. It only
 * translates, like any adapter; the console session decides what to read next.
 */
public final class ConsoleAdapter implements ChatAdapter {
    public static final String PLATFORM = "console";
    public static final ChannelRef CHANNEL = ChannelRef.of(PLATFORM, "ops");

    private final PrintStream out;
    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile String lastWithButtons;
    private ChatInbox inbox;

    public ConsoleAdapter(PrintStream out) {
        this.out = out;
    }

    @Override
    public String platform() {
        return PLATFORM;
    }

    @Override
    public ChatLimits limits() {
        // A terminal shows the tail of live output; the full log is saved at the end.
        return new ChatLimits(20_000, 1_200, Duration.ofSeconds(1));
    }

    @Override
    public void start(ChatInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public MessageRef post(ChannelRef channel, Message message) {
        String id = "m" + counter.incrementAndGet();
        show(id, "", message);
        return new MessageRef(channel, id);
    }

    @Override
    public void update(MessageRef ref, Message replacement) {
        show(ref.id(), " (updated)", replacement);
    }

    @Override
    public MessageRef reply(MessageRef parent, Message message) {
        String id = "m" + counter.incrementAndGet();
        show(id, " (reply to " + parent.id() + ")", message);
        return new MessageRef(parent.channel(), id);
    }

    @Override
    public void whisper(Origin origin, Message message) {
        synchronized (out) {
            out.println("── only " + origin.user().name() + " sees this ──");
            out.println(indent(render(message)));
            out.flush();
        }
    }

    @Override
    public void attach(MessageRef parent, String fileName, Path file) {
        long lines;
        try (var stream = Files.lines(file)) {
            lines = stream.count();
        } catch (IOException | UncheckedIOException e) {
            lines = -1;
        }
        synchronized (out) {
            out.println("── " + parent.id() + " attachment: " + fileName + " (" + (lines < 0 ? "?" : lines) + " lines) saved at " + file + " ──");
            out.flush();
        }
    }

    private void show(String id, String note, Message message) {
        messages.put(id, message);
        if (!message.buttons().isEmpty()) lastWithButtons = id;
        synchronized (out) {
            out.println("── " + id + note + " " + icon(message) + " " + message.title() + " ──");
            String body = render(message);
            int nl = body.indexOf('\n');
            if (nl >= 0) out.println(indent(body.substring(nl + 1)));
            if (!message.buttons().isEmpty()) {
                StringBuilder line = new StringBuilder();
                List<Button> buttons = message.buttons();
                for (int i = 0; i < buttons.size(); i++) line.append(i == 0 ? "" : "  ").append('[').append(i + 1).append("] ").append(buttons.get(i).label());
                out.println("   " + line + "   (type the number" + (id.equals(lastWithButtons) ? "" : ", or " + id + ":N") + ")");
            }
            out.flush();
        }
    }

    private static String render(Message m) {
        StringBuilder b = new StringBuilder(m.title());
        if (!m.text().isEmpty()) b.append('\n').append(m.text());
        for (Field f : m.fields()) b.append('\n').append(f.name()).append(": ").append(f.value());
        if (!m.code().isEmpty()) b.append('\n').append("│ ").append(m.code().replace("\n", "\n│ "));
        if (!m.context().isEmpty()) b.append('\n').append("· ").append(m.context());
        return b.toString();
    }

    private static String icon(Message m) {
        return switch (m.tone()) {
            case INFO -> "ℹ";
            case PROGRESS -> "⏳";
            case SUCCESS -> "✅";
            case WARNING -> "⚠";
            case FAILURE -> "❌";
        };
    }

    private static String indent(String text) {
        return "   " + text.replace("\n", "\n   ");
    }

    /**
     * Handles one typed line as {@code user}: a command ("/ops …"), a button number ("1", or
     * "m3:1" for a button of an older message). Returns what was not understood, if anything.
     */
    public Optional<String> type(UserRef user, String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) return Optional.empty();
        Origin origin = new Origin(CHANNEL, user, null);
        if (text.equals("/ops") || text.startsWith("/ops ")) {
            inbox.onCommand(origin, text.substring(4).strip());
            return Optional.empty();
        }
        String messageId = lastWithButtons;
        String number = text;
        int colon = text.indexOf(':');
        if (colon > 0) {
            messageId = text.substring(0, colon);
            number = text.substring(colon + 1);
        }
        if (!number.matches("[0-9]{1,2}")) {
            return Optional.of("Type /ops <command> (try /ops help) or the number of a button.");
        }
        Message message = messageId == null ? null : messages.get(messageId);
        int index = Integer.parseInt(number) - 1;
        if (message == null || index < 0 || index >= message.buttons().size()) {
            return Optional.of("There is no button " + number + (messageId == null ? "" : " on " + messageId) + ".");
        }
        inbox.onPress(origin, message.buttons().get(index).token(), new MessageRef(CHANNEL, messageId));
        return Optional.empty();
    }

    /** Buttons shown by a message, for sessions that need to know what is on screen. */
    public List<Button> buttonsOf(String messageId) {
        Message m = messages.get(messageId);
        return m == null ? List.of() : new ArrayList<>(m.buttons());
    }

    @Override
    public void close() {
        out.flush();
    }
}
