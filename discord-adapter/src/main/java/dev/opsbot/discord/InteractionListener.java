package dev.opsbot.discord;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.ModalPort;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.telemetry.LogContext;
import dev.opsbot.core.telemetry.Telemetry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import net.dv8tion.jda.api.components.label.Label;
import net.dv8tion.jda.api.components.textinput.TextInput;
import net.dv8tion.jda.api.components.textinput.TextInputStyle;
import net.dv8tion.jda.api.entities.ISnowflake;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.events.interaction.ModalInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.Interaction;
import net.dv8tion.jda.api.interactions.callbacks.IDeferrableCallback;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.interactions.modals.ModalMapping;
import net.dv8tion.jda.api.modals.Modal;
import net.dv8tion.jda.api.utils.data.DataObject;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;
import net.dv8tion.jda.internal.interactions.InteractionHookImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Discord interactions into the core's inbox calls. Runs on JDA's event thread, so it
 * only acknowledges (asynchronously) and hands over: every interaction gets its initial response
 * at once (a command its private receipt, a press a deferred update) and the core answers later
 * through the adapter.
 *
 * <p>Discord delivers each interaction to every gateway connection of the bot, so with several
 * replicas each receives it, and accepts one initial response: the interaction is handed to the
 * core when this replica's initial response was accepted, and dropped quietly when Discord answers that
 * another replica acknowledged it first (error 40060). Discord decides, without a database round
 * trip on the event thread.
 */
final class InteractionListener extends ListenerAdapter {
    static final String PLATFORM = "discord";
    private static final int MODAL_TITLE = 45;
    private static final int MODAL_LABEL = 45;
    private static final int MODAL_INPUTS = 5;
    private static final int RECEIPT_LENGTH = 300;
    /**
     * A replica that does not know a form waits this long before saying it expired: the replica
     * that made it answers at once, and its answer is the one Discord takes (within its 3 s).
     */
    private static final Duration UNKNOWN_FORM_DELAY = Duration.ofMillis(1500);
    private static final Logger LOG = LoggerFactory.getLogger(InteractionListener.class);

    private final ChatInbox inbox;
    private final SlashCommands commands;
    private final Interactions interactions;
    private final InteractionEndpoints endpoints;
    private final Telemetry telemetry;

    InteractionListener(ChatInbox inbox, SlashCommands commands, Interactions interactions,
                        InteractionEndpoints endpoints, Telemetry telemetry) {
        this.inbox = inbox;
        this.commands = commands;
        this.interactions = interactions;
        this.endpoints = endpoints;
        this.telemetry = telemetry;
    }

    /**
     * Sends the interaction's initial response and remembers how to answer it later; the
     * returned future completes once Discord accepted the response.
     */
    private CompletableFuture<Void> acknowledge(Interaction interaction, long arrived, InteractionEndpoints.Kind kind,
                                                DataObject data, boolean originalReplaceable) {
        CompletableFuture<Void> acknowledged = timed(arrived,
                endpoints.respond(interaction.getId(), interaction.getToken(), kind, data));
        // JDA gives every interaction a hook that fails itself after 10 s (an exception on its gateway thread) unless
        // an acknowledgement through JDA marks it ready. Nothing here uses JDA's hook: it is marked ready at once.
        if (interaction instanceof IDeferrableCallback deferrable && deferrable.getHook() instanceof InteractionHookImpl hook) {
            hook.ready();
        }
        interactions.remember(interaction.getId(), interaction.getJDA().getSelfUser().getApplicationId(),
                interaction.getToken(), arrived, acknowledged, originalReplaceable);
        return acknowledged;
    }

    /** Times the acknowledgement: from the event reaching the listener to Discord accepting the initial response. */
    private <T> CompletableFuture<T> timed(long arrived, CompletableFuture<T> acknowledged) {
        acknowledged.whenComplete((ok, failure) -> {
            if (failure == null) telemetry.commandAcknowledged(PLATFORM, Duration.ofNanos(System.nanoTime() - arrived));
        });
        return acknowledged;
    }

    private static LogContext userContext(Interaction interaction) {
        return LogContext.put(LogContext.USER, PLATFORM + ":" + interaction.getUser().getId());
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        if (!event.getName().equals(SlashCommands.NAME)) return;
        long arrived = System.nanoTime();
        try (LogContext ignored = userContext(event)) {
            String text = commands.text(event.getSubcommandName(), SlashCommands.values(event.getOptions()));
            // The receipt is the initial response, private: a refusal or usage error then replaces it, seen
            // only by the sender. One call acknowledges and shows it (a deferral and an edit were two).
            CompletableFuture<?> acknowledged = acknowledge(event, arrived, InteractionEndpoints.Kind.CHANNEL_MESSAGE,
                    InteractionEndpoints.ephemeral(MessageCreateData.fromContent(receipt(text))), true);
            Origin origin = origin(event);
            handOver(event, acknowledged, () -> inbox.onCommand(origin, text));
        }
    }

    /**
     * Hands the interaction to the core once this replica's acknowledgement is accepted (on JDA's
     * callback thread; the inbox returns at once), or drops it when another replica's was. Any other
     * failure still hands it over: the core's answers then reach the channel another way.
     */
    private void handOver(Interaction interaction, CompletableFuture<?> acknowledgement, Runnable deliver) {
        String id = interaction.getId();
        acknowledgement.whenComplete((ok, failure) -> {
            if (failure != null && answeredElsewhere(failure)) {
                LOG.debug("Interaction {} was acknowledged by another replica: it is theirs", id);
                interactions.forget(id);
                return;
            }
            try (LogContext ignored = userContext(interaction)) {
                deliver.run();
            }
        });
    }

    private static boolean answeredElsewhere(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof InteractionEndpoints.Refused refused
                && refused.code() == InteractionEndpoints.ALREADY_ACKNOWLEDGED;
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        String token = event.getComponentId();
        if (Interactions.isForm(token)) {
            openForm(event, token);
            return;
        }
        try (LogContext ignored = userContext(event)) {
            CompletableFuture<?> acknowledged = acknowledge(event, System.nanoTime(),
                    InteractionEndpoints.Kind.DEFERRED_UPDATE_MESSAGE, null, false);
            Origin origin = origin(event);
            MessageRef message = new MessageRef(origin.channel(), event.getMessageId());
            handOver(event, acknowledged, () -> inbox.onPress(origin, token, message));
        }
    }

    @Override
    public void onModalInteraction(ModalInteractionEvent event) {
        String customId = event.getModalId();
        if (!Interactions.isForm(customId)) return;
        ModalPort.Modal form = interactions.form(customId);
        if (form == null) {
            expired(event);
            return;
        }
        interactions.forgetForm(customId);
        Map<String, String> values = event.getValues().stream().collect(Collectors.toMap(ModalMapping::getCustomId,
                ModalMapping::getAsString, (a, b) -> b, LinkedHashMap::new));
        // The form's button is taken away so that it cannot be sent twice.
        long arrived = System.nanoTime();
        CompletableFuture<?> acknowledged = event.getMessage() != null
                ? acknowledge(event, arrived, InteractionEndpoints.Kind.UPDATE_MESSAGE,
                        new MessageEditBuilder().setContent("Sent.").setComponents().build().toData(), false)
                : acknowledge(event, arrived, InteractionEndpoints.Kind.DEFERRED_CHANNEL_MESSAGE,
                        DataObject.empty().put("flags", InteractionEndpoints.EPHEMERAL), false);
        Origin origin = origin(event);
        handOver(event, acknowledged, () -> inbox.onModalSubmit(origin, form.token(), values));
    }

    /**
     * A form this replica does not know: it expired, or another replica made it and answers it.
     * Said after a pause, so that the replica that knows it is the one Discord hears first.
     */
    private static void expired(IReplyCallback event) {
        event.reply("This form has expired: run the command again.").setEphemeral(true)
                .queueAfter(UNKNOWN_FORM_DELAY.toMillis(), TimeUnit.MILLISECONDS, null,
                        e -> LOG.debug("A form another replica knows was answered there: {}", e.toString()));
    }

    private void openForm(ButtonInteractionEvent event, String customId) {
        ModalPort.Modal form = interactions.form(customId);
        if (form == null) {
            expired(event);
            return;
        }
        Modal.Builder modal = Modal.create(customId, MessageRenderer.clip(form.title(), MODAL_TITLE));
        form.inputs().stream().limit(MODAL_INPUTS).forEach(input -> modal.addComponents(Label.of(
                MessageRenderer.clip(input.label(), MODAL_LABEL),
                TextInput.create(input.id(), TextInputStyle.SHORT).setRequired(true).build())));
        event.replyModal(modal.build()).queue(null,
                e -> LOG.warn("Could not open form '{}': {}", form.title(), e.toString()));
    }

    private Origin origin(Interaction interaction) {
        if (!interaction.isFromGuild()) interactions.rememberDirect(interaction.getChannelId(), interaction.getUser().getId());
        Member member = interaction.getMember();
        String name = member != null ? member.getEffectiveName() : interaction.getUser().getEffectiveName();
        return new Origin(
                new ChannelRef(PLATFORM, interaction.getChannelId(), !interaction.isFromGuild()),
                new UserRef(PLATFORM, interaction.getUser().getId(), name, roleIds(member)),
                interaction.getId());
    }

    private static Set<String> roleIds(Member member) {
        if (member == null) return Set.of();
        try {
            return member.getRoles().stream().map(ISnowflake::getId).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            // A server the bot is not in (a user-installed app): its roles are not known here.
            LOG.debug("Roles of {} unknown: {}", member.getId(), e.toString());
            return Set.of();
        }
    }

    private static String receipt(String text) {
        return MessageRenderer.clip("Received: `/ops " + text.replace('`', '\'') , RECEIPT_LENGTH - 1) + "`";
    }
}
