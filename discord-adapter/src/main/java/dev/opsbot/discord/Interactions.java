package dev.opsbot.discord;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.opsbot.core.chat.ModalPort;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the adapter remembers of recent interactions, only for as long as Discord lets it be
 * used: the token for answering privately (15 minutes), forms waiting to be opened, and the
 * person behind each direct conversation (JDA does not cache those channels; it opens one
 * again from the person's id) so that later messages can reach it.
 */
final class Interactions {
    /** Discord accepts follow-ups through an interaction's token for 15 minutes. */
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
    /** Custom ids of the adapter's own "open form" buttons and of its modals start with this. */
    static final String FORM_PREFIX = "opsbot-form:";

    /**
     * A way to answer one interaction privately: its token, usable until {@code expiresAt}
     * ({@link System#nanoTime}). {@code acknowledged} completes once the first answer (a
     * command's receipt, a press's deferral) has reached Discord; the original response may be
     * replaced once (by the first whisper) when {@code originalReplaceable}.
     */
    record Reply(String applicationId, String token, long expiresAt, CompletableFuture<?> acknowledged,
                 AtomicBoolean originalReplaceable) {
        boolean claimOriginal() {
            return originalReplaceable.compareAndSet(true, false);
        }

        boolean expired() {
            return System.nanoTime() - expiresAt > 0;
        }
    }

    // Housekeeping on the caller's thread: handed to the common pool, each interaction's write woke one of its threads.
    private final Cache<String, Reply> replies = Caffeine.newBuilder()
            .expireAfterWrite(TOKEN_LIFETIME).maximumSize(10_000).executor(Runnable::run).build();
    private final Cache<String, ModalPort.Modal> forms = Caffeine.newBuilder()
            .expireAfterWrite(TOKEN_LIFETIME).maximumSize(10_000).executor(Runnable::run).build();
    private final Cache<String, String> directUsers = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofDays(7)).maximumSize(10_000).executor(Runnable::run).build();

    /** @param arrived when the interaction arrived ({@link System#nanoTime}): its token's lifetime counts from there */
    void remember(String interactionId, String applicationId, String token, long arrived,
                  CompletableFuture<?> acknowledged, boolean originalReplaceable) {
        replies.put(interactionId, new Reply(applicationId, token, arrived + TOKEN_LIFETIME.toNanos(), acknowledged,
                new AtomicBoolean(originalReplaceable)));
    }

    /** Another replica answers the interaction: nothing here may answer it. */
    void forget(String interactionId) {
        replies.invalidate(interactionId);
    }

    /** The reply for an interaction, or null when unknown or older than its token. */
    Reply reply(String interactionId) {
        if (interactionId == null) return null;
        Reply reply = replies.getIfPresent(interactionId);
        return reply == null || reply.expired() ? null : reply;
    }

    /** Keeps a form until its button is pressed; returns the custom id for the button and the modal. */
    String rememberForm(ModalPort.Modal modal) {
        String customId = FORM_PREFIX + UUID.randomUUID().toString().replace("-", "");
        forms.put(customId, modal);
        return customId;
    }

    /** The form behind a custom id, or null when it expired. */
    ModalPort.Modal form(String customId) {
        return forms.getIfPresent(customId);
    }

    void forgetForm(String customId) {
        forms.invalidate(customId);
    }

    static boolean isForm(String customId) {
        return customId.startsWith(FORM_PREFIX);
    }

    void rememberDirect(String channelId, String userId) {
        directUsers.put(channelId, userId);
    }

    /** The person at the other end of a direct conversation, or null when not seen lately. */
    String directUser(String channelId) {
        return directUsers.getIfPresent(channelId);
    }
}
