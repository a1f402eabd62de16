package dev.opsbot.core.testing;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A chat platform with private forms, as Slack and Discord have: everything else is recorded by
 * {@link #chat}; every form the bot opens is kept, with the interaction it was opened for.
 */
public final class ModalChatPort implements ChatPort, ModalPort {
    public record Opened(Origin origin, Modal modal) { }

    public final RecordingChatPort chat = new RecordingChatPort();
    private final List<Opened> opened = new ArrayList<>();

    @Override
    public synchronized void openModal(Origin origin, Modal modal) {
        opened.add(new Opened(origin, modal));
        notifyAll();
    }

    /** Waits for the n-th form (from 0) to be opened. */
    public synchronized Opened awaitModal(int index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (opened.size() <= index) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("no form opened within " + timeout + "; events:\n" + chat.describe(0));
            wait(Math.max(1, left / 1_000_000));
        }
        return opened.get(index);
    }

    public synchronized int modalCount() {
        return opened.size();
    }

    @Override
    public String platform() {
        return chat.platform();
    }

    @Override
    public ChatLimits limits() {
        return chat.limits();
    }

    @Override
    public MessageRef post(ChannelRef channel, Message message) {
        return chat.post(channel, message);
    }

    @Override
    public void update(MessageRef message, Message replacement) {
        chat.update(message, replacement);
    }

    @Override
    public MessageRef reply(MessageRef parent, Message message) {
        return chat.reply(parent, message);
    }

    @Override
    public void whisper(Origin origin, Message message) {
        chat.whisper(origin, message);
    }

    @Override
    public void attach(MessageRef parent, String fileName, Path file) {
        chat.attach(parent, fileName, file);
    }

    @Override
    public boolean runsInThreads() {
        return chat.runsInThreads();
    }
}
