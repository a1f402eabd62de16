package dev.opsbot.app;

import dev.opsbot.core.compose.ComposeLoader;
import dev.opsbot.core.retention.Retention;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional {@code retention:} section of opsbot.yml ({@code runs}, {@code logs}), or
 * {@code OPSBOT_RETENTION_RUNS} and {@code OPSBOT_RETENTION_LOGS}: how long run history and run
 * logs are kept, in days ({@code 90d}), hours or anything Compose writes, or {@code forever}.
 */
final class RetentionConfig {
    private static final Set<String> KEYS = Set.of("runs", "logs");
    private static final Pattern DAYS = Pattern.compile("([0-9]{1,6})d");

    private RetentionConfig() {
    }

    static Retention read(Object section, Map<String, String> env) {
        if (section != null && !(section instanceof Map<?, ?>)) {
            throw new AppConfig.ConfigException("retention: expected runs and logs, e.g. {runs: 90d, logs: 30d}");
        }
        Map<?, ?> r = section == null ? Map.of() : (Map<?, ?>) section;
        for (Object k : r.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new AppConfig.ConfigException("retention: unknown setting '" + k + "' (known: [logs, runs])");
            }
        }
        Duration runs = period("retention.runs", pick(env.get("OPSBOT_RETENTION_RUNS"), r.get("runs")), Retention.DEFAULTS.runs());
        Duration logs = period("retention.logs", pick(env.get("OPSBOT_RETENTION_LOGS"), r.get("logs")), Retention.DEFAULTS.logs());
        try {
            return new Retention(runs, logs);
        } catch (IllegalArgumentException e) {
            throw new AppConfig.ConfigException("retention: " + e.getMessage());
        }
    }

    /** A period: {@code 90d}, {@code 12h}, {@code 1h30m}, or {@code forever} (null). */
    private static Duration period(String setting, String text, Duration otherwise) {
        if (text == null) return otherwise;
        String t = text.strip();
        if (t.equals("forever")) return null;
        Matcher days = DAYS.matcher(t);
        if (days.matches()) return Duration.ofDays(Long.parseLong(days.group(1)));
        try {
            return ComposeLoader.duration(t);
        } catch (RuntimeException e) {
            throw new AppConfig.ConfigException(setting + ": '" + t + "' is not a period like 90d, 12h or forever");
        }
    }

    private static String pick(String env, Object yaml) {
        if (env != null && !env.isBlank()) return env;
        return yaml == null ? null : String.valueOf(yaml);
    }
}
