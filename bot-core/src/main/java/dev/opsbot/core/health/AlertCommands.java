package dev.opsbot.core.health;

import dev.opsbot.core.chat.Durations;
import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Origin;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.command.UsageException;
import dev.opsbot.core.compose.ComposeLoader;
import dev.opsbot.core.store.AlertRecord;
import dev.opsbot.core.store.AlertStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The built-ins {@code /ops alerts} and {@code /ops mute <service> <duration>}. */
public final class AlertCommands {
    public static final String MUTE_USAGE = "/ops mute <service> <duration|off>";
    public static final String ALERTS_USAGE = "/ops alerts";
    private static final Duration MAX_MUTE = Duration.ofDays(7);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final HealthMonitor monitor;

    AlertCommands(HealthMonitor monitor) {
        this.monitor = monitor;
    }

    /** Open alerts and mutes in force. */
    public Message list() {
        Instant now = monitor.clock().instant();
        List<String> lines = new ArrayList<>();
        for (AlertRecord a : monitor.openAlerts()) lines.add(AlertMessages.line(a, now));
        List<AlertStore.Mute> mutes = monitor.store().mutes(monitor.stack().name(), now);
        Message.Builder b = Message.builder(Tone.INFO, lines.isEmpty() ? "No open alerts on " + monitor.stack().name()
                : lines.size() + " open alert" + (lines.size() == 1 ? "" : "s") + " on " + monitor.stack().name());
        if (!lines.isEmpty()) b.code(String.join("\n", lines));
        for (AlertStore.Mute m : mutes) {
            b.line(m.service() + " is muted until " + CLOCK.format(m.until()) + " (by " + m.mutedBy() + ")");
        }
        return b.build();
    }

    /** Holds back new alerts about a service for a while ({@code off} ends it). */
    public Message mute(List<String> args, Origin origin, Set<String> services) {
        if (args.size() != 2) throw new UsageException("Name a service and how long, e.g. /ops mute backend 30m.", MUTE_USAGE);
        String service = args.get(0);
        if (!services.contains(service)) {
            throw new UsageException("There is no service '" + service + "'. Services: " + String.join(", ", services) + ".", MUTE_USAGE);
        }
        String stack = monitor.stack().name();
        if (args.get(1).equalsIgnoreCase("off")) {
            monitor.store().unmute(stack, service);
            return Message.of(Tone.INFO, "Alerts about " + service + " are on again", origin.user().name() + " ended the mute.");
        }
        Duration d;
        try {
            d = ComposeLoader.duration(args.get(1));
        } catch (RuntimeException e) {
            throw new UsageException("'" + args.get(1) + "' is not a duration (e.g. 30m, 2h).", MUTE_USAGE);
        }
        if (d.isZero() || d.isNegative() || d.compareTo(MAX_MUTE) > 0) {
            throw new UsageException("Mute for more than nothing and at most " + Durations.human(MAX_MUTE) + ".", MUTE_USAGE);
        }
        Instant until = monitor.clock().instant().plus(d);
        monitor.store().mute(new AlertStore.Mute(stack, service, until, origin.user().name()));
        return Message.of(Tone.INFO, "Muted " + service + " for " + Durations.human(d), "No new alerts or reminders about " + service
                + " until " + CLOCK.format(until) + " (open alerts still show when they recover). Muted by " + origin.user().name() + ".");
    }
}
