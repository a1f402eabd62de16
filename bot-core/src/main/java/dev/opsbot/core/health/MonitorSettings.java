package dev.opsbot.core.health;

import dev.opsbot.core.chat.ChannelRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the monitor watches and whom it tells.
 *
 * @param dockerHealth   watch each service's own Docker healthcheck and its container (died, out of memory)
 * @param probes         HTTP and exec checks run on their own schedule
 * @param thresholds     default for probes: failing after N failures in a row, recovered after M successes
 * @param renotify       while an alert stays unacknowledged, remind its thread this often
 * @param channels       "platform:id" channels by severity; a severity without any uses critical's
 * @param flapCount      an alert that opens this many times within {@code flapWindow} is shown as flapping
 * @param flapWindow     how close re-openings must be to count, and how long a flapping check must pass to resolve
 * @param reconcileEvery how often the containers' state is re-read in case an event was missed
 * @param reconnectAfter first pause before reconnecting to the event stream (doubles up to a minute)
 * @param deployWindow   a deploy this long before an alert is mentioned in it
 * @param afterFailedRun after a run that did not succeed (its own message says so and offers the rollback),
 *                       how long new alerts about the services it changed wait for someone to act, before
 *                       a problem that outlasts it is alerted, naming the run
 */
public record MonitorSettings(boolean dockerHealth, List<ProbeSpec> probes, Thresholds thresholds, Duration renotify,
                              Map<Severity, List<ChannelRef>> channels, int flapCount, Duration flapWindow,
                              Duration reconcileEvery, Duration reconnectAfter, Duration deployWindow, Duration afterFailedRun) {

    public MonitorSettings {
        probes = probes == null ? List.of() : List.copyOf(probes);
        thresholds = thresholds == null ? Thresholds.DEFAULT : thresholds;
        renotify = renotify == null ? Duration.ofMinutes(15) : renotify;
        Objects.requireNonNull(channels, "channels");
        Map<Severity, List<ChannelRef>> copy = new EnumMap<>(Severity.class);
        channels.forEach((s, list) -> copy.put(s, List.copyOf(list)));
        channels = Map.copyOf(copy);
        if (channels.values().stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException("monitor: name at least one channel for alerts");
        }
        flapCount = flapCount <= 0 ? 3 : flapCount;
        flapWindow = flapWindow == null ? Duration.ofMinutes(10) : flapWindow;
        reconcileEvery = reconcileEvery == null ? Duration.ofSeconds(30) : reconcileEvery;
        reconnectAfter = reconnectAfter == null ? Duration.ofSeconds(1) : reconnectAfter;
        deployWindow = deployWindow == null ? Duration.ofMinutes(30) : deployWindow;
        afterFailedRun = afterFailedRun == null ? Duration.ofMinutes(2) : afterFailedRun;
        List<String> names = probes.stream().map(p -> p.service() + "/" + p.name()).toList();
        if (names.size() != names.stream().distinct().count()) {
            throw new IllegalArgumentException("monitor: two probes of one service have the same name");
        }
    }

    /** With the default wait after a failed run. */
    public MonitorSettings(boolean dockerHealth, List<ProbeSpec> probes, Thresholds thresholds, Duration renotify,
                           Map<Severity, List<ChannelRef>> channels, int flapCount, Duration flapWindow,
                           Duration reconcileEvery, Duration reconnectAfter, Duration deployWindow) {
        this(dockerHealth, probes, thresholds, renotify, channels, flapCount, flapWindow, reconcileEvery, reconnectAfter, deployWindow, null);
    }

    /** The same settings with another wait after a failed run. */
    public MonitorSettings withAfterFailedRun(Duration wait) {
        return new MonitorSettings(dockerHealth, probes, thresholds, renotify, channels, flapCount, flapWindow, reconcileEvery,
                reconnectAfter, deployWindow, wait);
    }

    /** Only the services' own Docker healthchecks, told to the given channels: the demo's default. */
    public static MonitorSettings dockerOnly(List<ChannelRef> channels) {
        return new MonitorSettings(true, List.of(), null, null, Map.of(Severity.CRITICAL, channels), 0, null, null, null, null);
    }

    /**
     * For a swarm stack: no compose events to follow, a task probe for each of {@code services}
     * (every {@code 5 s}, failing after two reads in a row) besides the configured probes.
     */
    public MonitorSettings forSwarm(String stack, Collection<String> services) {
        List<ProbeSpec> all = new ArrayList<>(probes);
        for (String service : services) all.add(new ProbeSpec.SwarmTasks(service, stack, null, null, new Thresholds(2, 1)));
        return new MonitorSettings(false, all, thresholds, renotify, channels, flapCount, flapWindow, reconcileEvery, reconnectAfter,
                deployWindow, afterFailedRun);
    }

    /** Parses "platform:id". */
    public static ChannelRef channel(String text) {
        return ChannelRef.parse(text);
    }

    /** The channels that hear of an alert of this severity. */
    public List<ChannelRef> channelsFor(Severity severity) {
        List<ChannelRef> own = channels.getOrDefault(severity, List.of());
        return own.isEmpty() ? channels.getOrDefault(Severity.CRITICAL, List.of()) : own;
    }
}
