package dev.opsbot.core.health;

import dev.opsbot.core.button.Decision;
import dev.opsbot.core.button.Payload;
import dev.opsbot.core.button.PendingButtons;
import dev.opsbot.core.chat.Button;
import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.chat.ChatPorts;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.MessageRef;
import dev.opsbot.core.chat.UserRef;
import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.store.AlertStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows alerts in their channels: one message per alert and channel, updated in place as the
 * alert changes, with replies in its thread for what people should notice (recovered, failing
 * again, still failing, acknowledged).
 */
final class AlertNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);
    private static final UserRef ALERTS = PendingButtons.ALERTS;
    static final String ACKNOWLEDGE = "Acknowledge";
    /** Alert buttons work as long as the alert is open; this only bounds forgotten rows. */
    private static final Duration BUTTON_LIFE = Duration.ofDays(30);

    private final MonitorSettings settings;
    private final AlertStore store;
    private final ChatPorts ports;
    private final PendingButtons buttons;
    private final Clock clock;
    private final Function<String, String> running;

    /** @param running what a service runs now, for the message ("running sha-1a2b3c4 (sha256:…)"); null when it cannot be told */
    AlertNotifier(MonitorSettings settings, AlertStore store, ChatPorts ports, PendingButtons buttons, Clock clock,
                  Function<String, String> running) {
        this.settings = settings;
        this.store = store;
        this.ports = ports;
        this.buttons = buttons;
        this.clock = clock;
        this.running = running;
    }

    /** Shows the change; returns true when a first message went out (the alert was posted). */
    boolean show(AlertChange change) {
        AlertRecord a = change.alert();
        switch (change.kind()) {
            case OPENED -> {
                return post(a);
            }
            case UPDATED, PASSING -> refresh(a, false);
            case REOPENED -> {
                refresh(a, true);
                reply(a, AlertMessages.reopenedReply(a));
            }
            case RESOLVED -> {
                refresh(a, false);
                reply(a, AlertMessages.resolvedReply(a));
            }
            case REMINDED -> {
                refresh(a, false);
                reply(a, AlertMessages.reminder(a, clock.instant()));
            }
            case ACKNOWLEDGED -> {
                refresh(a, false);
                reply(a, AlertMessages.acknowledgedReply(a));
            }
        }
        return false;
    }

    private boolean post(AlertRecord a) {
        boolean any = false;
        for (ChannelRef channel : settings.channelsFor(Severity.parse(a.severity()))) {
            if (!ports.has(channel.platform())) {
                LOG.warn("alert #{} ({}) is for {}, where no adapter is connected", a.id(), AlertMessages.subject(a), channel);
                continue;
            }
            List<Offered> offered = offer(a, channel);
            try {
                MessageRef ref = ports.of(channel).post(channel, render(a).withButtons(shown(a, offered)));
                offered.forEach(o -> buttons.posted(o.offer(), ref));
                store.savePost(new AlertStore.Post(a.id(), channel.toString(), ref.id(), encode(offered)));
                any = true;
            } catch (RuntimeException e) {
                LOG.warn("alert #{} cannot be posted to {}: {}", a.id(), channel, e.toString());
            }
        }
        return any;
    }

    /** Re-renders every message of the alert; {@code newButtons} issues fresh buttons (after they were retired). */
    private void refresh(AlertRecord a, boolean newButtons) {
        for (AlertStore.Post post : store.posts(a.id())) {
            ChannelRef channel = MonitorSettings.channel(post.channel());
            if (!ports.has(channel.platform())) continue;
            MessageRef ref = new MessageRef(channel, post.messageId());
            List<Offered> offered = decode(post.buttons());
            if (!a.open()) {
                retire(offered);
                offered = List.of();
            } else if (newButtons) {
                retire(offered);
                offered = offer(a, channel);
                offered.forEach(o -> buttons.posted(o.offer(), ref));
            }
            store.savePost(new AlertStore.Post(a.id(), post.channel(), post.messageId(), encode(offered)));
            try {
                ports.of(channel).update(ref, render(a).withButtons(shown(a, offered)));
            } catch (RuntimeException e) {
                LOG.warn("alert #{} cannot be updated in {}: {}", a.id(), channel, e.toString());
            }
        }
    }

    private void reply(AlertRecord a, Message message) {
        for (AlertStore.Post post : store.posts(a.id())) {
            ChannelRef channel = MonitorSettings.channel(post.channel());
            if (!ports.has(channel.platform())) continue;
            try {
                ports.of(channel).reply(new MessageRef(channel, post.messageId()), message);
            } catch (RuntimeException e) {
                LOG.warn("alert #{}: cannot reply in {}: {}", a.id(), channel, e.toString());
            }
        }
    }

    private Message render(AlertRecord a) {
        return AlertMessages.render(a, clock.instant(), running.apply(a.service()));
    }

    /** A button as offered: the offer (null once read back from the store) and the button. */
    private record Offered(PendingButtons.Offer offer, Button button) { }

    private List<Offered> offer(AlertRecord a, ChannelRef channel) {
        List<Offered> out = new ArrayList<>();
        out.add(one(ACKNOWLEDGE, Button.Style.PRIMARY, new Payload.Acknowledge(a.id()), channel));
        out.add(one("Show logs", Button.Style.DEFAULT, new Payload.Invoke("logs " + a.service() + " --tail 50"), channel));
        out.add(one("Run health runbook", Button.Style.DEFAULT, new Payload.Invoke("health"), channel));
        if (a.rollbackTag() != null) {
            out.add(one("Roll back to " + a.rollbackTag(), Button.Style.DANGER, new Payload.Invoke("rollback " + a.rollbackTag()), channel));
        }
        return out;
    }

    /** Each button is its own group, so pressing one (Show logs) leaves the others (Acknowledge) usable. */
    private Offered one(String label, Button.Style style, Payload payload, ChannelRef channel) {
        PendingButtons.Offer offer = buttons.offer(List.of(new PendingButtons.Choice(label, style, payload)), ALERTS, channel, BUTTON_LIFE);
        return new Offered(offer, offer.buttons().get(0));
    }

    /** The buttons to show: all but Acknowledge once someone has. */
    private static List<Button> shown(AlertRecord a, List<Offered> offered) {
        return offered.stream().map(Offered::button).filter(b -> !(a.acknowledged() && b.label().equals(ACKNOWLEDGE))).toList();
    }

    private void retire(List<Offered> offered) {
        for (Offered o : offered) buttons.decide(o.button().token(), ALERTS, Decision.CLOSE);
    }

    private static String encode(List<Offered> offered) {
        StringBuilder out = new StringBuilder();
        for (Offered o : offered) {
            out.append(o.button().label().replace('\t', ' ').replace('\n', ' ')).append('\t').append(o.button().token()).append('\t')
                    .append(o.button().style().name()).append('\n');
        }
        return out.toString();
    }

    private static List<Offered> decode(String text) {
        return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).map(l -> l.split("\t"))
                .map(p -> new Offered(null, new Button(p[0], p[1], Button.Style.valueOf(p[2])))).toList();
    }
}
