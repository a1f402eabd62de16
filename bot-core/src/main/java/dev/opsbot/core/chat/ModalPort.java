package dev.opsbot.core.chat;

import java.util.List;

/**
 * Optional capability: asking a person for input that must not appear in the channel (a secret
 * value). Only platforms with modals implement it; the answer arrives as
 * {@link ChatInbox#onModalSubmit}.
 */
public interface ModalPort {

    record Input(String id, String label, boolean secret) { }

    record Modal(String token, String title, List<Input> inputs) { }

    /** Opens a modal for the person behind {@code origin}; needs a fresh interaction. */
    void openModal(Origin origin, Modal modal);
}
