package dev.opsbot.core.health;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each probe at its own interval, one thread per probe, so a slow probe delays only
 * itself; hands every result on as an {@link Observation}.
 */
final class ProbeScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeScheduler.class);

    private final Map<ProbeSpec, Probe> probes;
    private final Thresholds defaults;
    private final Clock clock;
    private final ScheduledExecutorService threads;

    ProbeScheduler(Map<ProbeSpec, Probe> probes, Thresholds defaults, Clock clock) {
        this.probes = Map.copyOf(probes);
        this.defaults = defaults;
        this.clock = clock;
        this.threads = Executors.newScheduledThreadPool(Math.max(1, probes.size()), r -> {
            Thread t = new Thread(r, "opsbot-probe");
            t.setDaemon(true);
            return t;
        });
    }

    void start(Consumer<Observation> sink) {
        for (Map.Entry<ProbeSpec, Probe> e : probes.entrySet()) {
            ProbeSpec spec = e.getKey();
            threads.scheduleWithFixedDelay(() -> runOnce(spec, e.getValue(), sink), 0, spec.interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runOnce(ProbeSpec spec, Probe probe, Consumer<Observation> sink) {
        try {
            ProbeResult result = probe.run();
            sink.accept(new Observation(spec.service(), spec.name(), result.ok(), result.output(), clock.instant(), null,
                    spec.severity(), spec.thresholds() == null ? defaults : spec.thresholds()));
        } catch (RuntimeException e) {
            // A probe never throws; if one does, it must not stop its schedule.
            LOG.warn("probe {} of {} failed to run: {}", spec.name(), spec.service(), e.toString());
        }
    }

    List<ProbeSpec> specs() {
        return List.copyOf(probes.keySet());
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
