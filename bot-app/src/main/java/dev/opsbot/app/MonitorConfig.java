package dev.opsbot.app;

import dev.opsbot.core.chat.ChannelRef;
import dev.opsbot.core.compose.ComposeLoader;
import dev.opsbot.core.health.MonitorSettings;
import dev.opsbot.core.health.ProbeSpec;
import dev.opsbot.core.health.Severity;
import dev.opsbot.core.health.Thresholds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code monitor:} section of opsbot.yml, read into the core's {@link MonitorSettings}. */
final class MonitorConfig {
    private static final Set<String> KEYS = Set.of("docker-health", "probes", "thresholds", "renotify", "channels", "flapping",
            "reconcile-every", "after-failed-run");
    private static final Set<String> PROBE_KEYS = Set.of("name", "http", "exec", "expect-status", "expect-body", "timeout",
            "interval", "severity", "thresholds");
    private static final Set<String> HTTP_KEYS = Set.of("url", "service", "port", "path");
    private static final Set<String> EXEC_KEYS = Set.of("service", "command");

    private MonitorConfig() {
    }

    /** The settings of a {@code monitor:} section; null when there is none (no monitor, except for the demo). */
    static MonitorSettings read(Object section, boolean demo) {
        if (section == null) return demo ? MonitorSettings.dockerOnly(List.of(ConsoleAdapter.CHANNEL)) : null;
        Map<?, ?> m = map(section, "monitor");
        known(m, KEYS, "monitor");
        try {
            Map<?, ?> flapping = m.get("flapping") == null ? Map.of() : map(m.get("flapping"), "monitor.flapping");
            known(flapping, Set.of("count", "window"), "monitor.flapping");
            return new MonitorSettings(
                    !Boolean.FALSE.equals(m.get("docker-health")),
                    probes(m.get("probes")),
                    thresholds(m.get("thresholds"), "monitor.thresholds"),
                    duration(m.get("renotify"), "monitor.renotify"),
                    channels(m.get("channels")),
                    flapping.get("count") instanceof Number n ? n.intValue() : 0,
                    duration(flapping.get("window"), "monitor.flapping.window"),
                    duration(m.get("reconcile-every"), "monitor.reconcile-every"),
                    null,
                    null,
                    duration(m.get("after-failed-run"), "monitor.after-failed-run"));
        } catch (IllegalArgumentException e) {
            throw new AppConfig.ConfigException(e.getMessage().startsWith("monitor") ? e.getMessage() : "monitor: " + e.getMessage());
        }
    }

    private static Map<Severity, List<ChannelRef>> channels(Object value) {
        if (value == null) throw new AppConfig.ConfigException("monitor.channels: name where alerts go, e.g. critical: [\"slack:C0123\"]");
        Map<Severity, List<ChannelRef>> out = new EnumMap<>(Severity.class);
        map(value, "monitor.channels").forEach((severity, list) -> {
            List<?> items = list instanceof List<?> l ? l : List.of(list);
            out.put(Severity.parse(String.valueOf(severity)), items.stream().map(i -> MonitorSettings.channel(String.valueOf(i))).toList());
        });
        return out;
    }

    private static List<ProbeSpec> probes(Object value) {
        if (value == null) return List.of();
        if (!(value instanceof List<?> list)) throw new AppConfig.ConfigException("monitor.probes: expected a list of probes");
        List<ProbeSpec> out = new ArrayList<>();
        for (Object item : list) {
            Map<?, ?> p = map(item, "monitor.probes[]");
            String name = String.valueOf(p.get("name"));
            String where = "monitor.probes." + name;
            if (p.get("name") == null) throw new AppConfig.ConfigException("monitor.probes: every probe needs a name");
            known(p, PROBE_KEYS, where);
            Duration timeout = duration(p.get("timeout"), where + ".timeout");
            Duration interval = duration(p.get("interval"), where + ".interval");
            Severity severity = p.get("severity") == null ? null : Severity.parse(String.valueOf(p.get("severity")));
            Thresholds thresholds = p.get("thresholds") == null ? null : thresholds(p.get("thresholds"), where + ".thresholds");
            if (p.get("http") != null && p.get("exec") == null) {
                Map<?, ?> h = map(p.get("http"), where + ".http");
                known(h, HTTP_KEYS, where + ".http");
                String service = h.get("service") == null ? null : String.valueOf(h.get("service"));
                out.add(new ProbeSpec.Http(name, service == null ? "stack" : service, h.get("url") == null ? null : String.valueOf(h.get("url")),
                        h.get("port") instanceof Number n ? n.intValue() : 0, h.get("path") == null ? null : String.valueOf(h.get("path")),
                        p.get("expect-status") instanceof Number n ? n.intValue() : 0,
                        p.get("expect-body") == null ? null : String.valueOf(p.get("expect-body")), timeout, interval, severity, thresholds));
            } else if (p.get("exec") != null && p.get("http") == null) {
                Map<?, ?> x = map(p.get("exec"), where + ".exec");
                known(x, EXEC_KEYS, where + ".exec");
                if (x.get("service") == null || !(x.get("command") instanceof List<?> command)) {
                    throw new AppConfig.ConfigException(where + ".exec: needs a service and a command list");
                }
                out.add(new ProbeSpec.Exec(name, String.valueOf(x.get("service")), command.stream().map(String::valueOf).toList(),
                        timeout, interval, severity, thresholds));
            } else {
                throw new AppConfig.ConfigException(where + ": give exactly one of http or exec");
            }
        }
        return out;
    }

    private static Thresholds thresholds(Object value, String where) {
        if (value == null) return null;
        Map<?, ?> t = map(value, where);
        known(t, Set.of("fail-after", "recover-after"), where);
        return new Thresholds(t.get("fail-after") instanceof Number f ? f.intValue() : Thresholds.DEFAULT.failAfter(),
                t.get("recover-after") instanceof Number r ? r.intValue() : Thresholds.DEFAULT.recoverAfter());
    }

    private static Duration duration(Object value, String where) {
        if (value == null) return null;
        try {
            return ComposeLoader.duration(value);
        } catch (RuntimeException e) {
            throw new AppConfig.ConfigException(where + ": " + e.getMessage());
        }
    }

    private static Map<?, ?> map(Object value, String where) {
        if (value instanceof Map<?, ?> m) return m;
        throw new AppConfig.ConfigException(where + ": expected a mapping");
    }

    private static void known(Map<?, ?> m, Set<String> keys, String where) {
        for (Object k : m.keySet()) {
            if (!keys.contains(String.valueOf(k))) throw new AppConfig.ConfigException(where + ": unknown setting '" + k + "' (known: " + keys + ")");
        }
    }
}
