package dev.opsbot.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.App;
import com.slack.api.model.view.ViewState;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatInbox;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.telemetry.LogContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bolt handlers: each one translates a Slack payload into a call on the core's inbox, hands
 * that call to the adapter's own thread and acknowledges. Bolt sends the acknowledgement only when
 * the handler returns, so a handler does nothing slow and calls no Web API method.
 */
final class BoltRoutes {

    private static final Logger log = LoggerFactory.getLogger(BoltRoutes.class);

    static final String COMMAND = "/ops";
    static final Pattern BUTTON_ACTION =
            Pattern.compile("^" + Pattern.quote(BlockKitRenderer.ACTION_ID_PREFIX) + "\\d+$");
    static final Pattern MODAL_CALLBACK =
            Pattern.compile("^" + Pattern.quote(BlockKitRenderer.MODAL_CALLBACK_PREFIX) + ".+$");

    private final ChatInbox inbox;
    private final Interactions interactions;
    private final Executor handoff;
    private final Function<String, Set<String>> groupsOf;

    BoltRoutes(ChatInbox inbox, Interactions interactions, Executor handoff, Function<String, Set<String>> groupsOf) {
        this.inbox = inbox;
        this.interactions = interactions;
        this.handoff = handoff;
        this.groupsOf = groupsOf;
    }

    /** The origin with the person's user groups, looked up on the hand-off thread (it may call Slack). */
    private Origin withGroups(Origin origin) {
        UserRef u = origin.user();
        return new Origin(origin.channel(), new UserRef(u.platform(), u.id(), u.name(), groupsOf.apply(u.id())), origin.interactionId());
    }

    void register(App app) {
        app.command(COMMAND, (req, ctx) -> {
            SlashCommandPayload p = req.getPayload();
            Origin origin = new Origin(channel(p.getChannelId()), user(p.getUserId(), p.getUserName()),
                    interactions.remember(p.getResponseUrl(), p.getTriggerId()));
            String text = p.getText() == null ? "" : p.getText().trim();
            // Busy (or restarting) is said in the acknowledgement itself: no further call to Slack, no work queued.
            Optional<String> turnedAway = inbox.turnedAway(origin, text);
            if (turnedAway.isPresent()) return ctx.ack(turnedAway.get());
            deliver(origin, () -> inbox.onCommand(withGroups(origin), text));
            return ctx.ack();
        });

        app.blockAction(BUTTON_ACTION, (req, ctx) -> {
            BlockActionPayload p = req.getPayload();
            String channelId = p.getChannel() != null ? p.getChannel().getId()
                    : p.getContainer() != null ? p.getContainer().getChannelId() : null;
            String messageTs = p.getContainer() != null && p.getContainer().getMessageTs() != null
                    ? p.getContainer().getMessageTs()
                    : p.getMessage() != null ? p.getMessage().getTs() : null;
            if (channelId == null || messageTs == null || p.getActions() == null) {
                log.warn("Ignored a button press outside a channel message");
                return ctx.ack();
            }
            String name = p.getUser().getUsername() != null ? p.getUser().getUsername() : p.getUser().getName();
            Origin origin = new Origin(channel(channelId), user(p.getUser().getId(), name),
                    interactions.remember(p.getResponseUrl(), p.getTriggerId()));
            MessageRef message = new MessageRef(origin.channel(), messageTs);
            for (BlockActionPayload.Action action : p.getActions()) {
                if (action.getValue() != null && BUTTON_ACTION.matcher(action.getActionId()).matches()) {
                    String token = action.getValue();
                    deliver(origin, () -> inbox.onPress(withGroups(origin), token, message));
                }
            }
            return ctx.ack();
        });

        app.viewSubmission(MODAL_CALLBACK, (req, ctx) -> {
            ViewSubmissionPayload p = req.getPayload();
            String channelId = p.getView().getCallbackId().substring(BlockKitRenderer.MODAL_CALLBACK_PREFIX.length());
            String name = p.getUser().getUsername() != null ? p.getUser().getUsername() : p.getUser().getName();
            Origin origin = new Origin(channel(channelId), user(p.getUser().getId(), name),
                    interactions.remember(null, p.getTriggerId()));
            String token = p.getView().getPrivateMetadata() == null ? "" : p.getView().getPrivateMetadata();
            Map<String, String> values = values(p.getView().getState());
            deliver(origin, () -> inbox.onModalSubmit(withGroups(origin), token, values));
            return ctx.ack();
        });
    }

    /** Values by input id: each input's block id is its id. */
    private static Map<String, String> values(ViewState state) {
        Map<String, String> values = new LinkedHashMap<>();
        if (state == null || state.getValues() == null) return values;
        state.getValues().forEach((blockId, byAction) -> byAction.values().forEach(v ->
                values.put(blockId, v.getValue() == null ? "" : v.getValue())));
        return values;
    }

    /** Hands the call to the adapter's thread; what it logs names the person. */
    private void deliver(Origin origin, Runnable call) {
        String user = origin.user().platform() + ":" + origin.user().id();
        try {
            handoff.execute(() -> {
                try (LogContext ignored = LogContext.put(LogContext.USER, user)) {
                    call.run();
                } catch (RuntimeException e) {
                    log.error("The inbox failed on a Slack event", e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("A Slack event arrived while the adapter was closing; dropped");
        }
    }

    static ChannelRef channel(String id) {
        return new ChannelRef(SlackAdapter.PLATFORM, id, id.startsWith("D"));
    }

    static UserRef user(String id, String name) {
        return new UserRef(SlackAdapter.PLATFORM, id, name, Set.of());
    }
}
