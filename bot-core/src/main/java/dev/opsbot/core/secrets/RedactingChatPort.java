package dev.opsbot.core.secrets;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatLimits;
import dev.opsbot.core.chat.ChatPort;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import java.nio.file.Path;

/**
 * A chat port that redacts every message before the platform sees it: whatever path a text
 * takes (a run's live output, a built-in's log tail, an alert, an error), it passes here.
 * Attached files are run logs the relay already wrote redacted, line by line.
 * {@link #wrap} keeps the platform's optional capabilities ({@link ModalPort}). Every method of
 * {@link ChatPort}, default ones included, is handed to the platform's port (a test checks it).
 */
public class RedactingChatPort implements ChatPort {
    private final ChatPort delegate;
    private final Redactor redactor;

    RedactingChatPort(ChatPort delegate, Redactor redactor) {
        this.delegate = delegate;
        this.redactor = redactor;
    }

    public static ChatPort wrap(ChatPort port, Redactor redactor) {
        if (port instanceof RedactingChatPort) return port;
        return port instanceof ModalPort ? new WithModals(port, redactor) : new RedactingChatPort(port, redactor);
    }

    public ChatPort delegate() {
        return delegate;
    }

    @Override
    public String platform() {
        return delegate.platform();
    }

    @Override
    public ChatLimits limits() {
        return delegate.limits();
    }

    @Override
    public MessageRef post(ChannelRef channel, Message message) {
        return delegate.post(channel, redactor.apply(message));
    }

    @Override
    public void update(MessageRef message, Message replacement) {
        delegate.update(message, redactor.apply(replacement));
    }

    @Override
    public MessageRef reply(MessageRef parent, Message message) {
        return delegate.reply(parent, redactor.apply(message));
    }

    @Override
    public void whisper(Origin origin, Message message) {
        delegate.whisper(origin, redactor.apply(message));
    }

    @Override
    public void attach(MessageRef parent, String fileName, Path file) {
        delegate.attach(parent, fileName, file);
    }

    @Override
    public boolean runsInThreads() {
        return delegate.runsInThreads();
    }

    private static final class WithModals extends RedactingChatPort implements ModalPort {
        WithModals(ChatPort delegate, Redactor redactor) {
            super(delegate, redactor);
        }

        @Override
        public void openModal(Origin origin, Modal modal) {
            ((ModalPort) delegate()).openModal(origin, modal);
        }
    }
}
