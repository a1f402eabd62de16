package dev.opsbot.core.secrets;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Spots a secret typed into a command: the current value of a secret of {@code .env}, or a
 * known token shape. Only variables that are secrets count (a configured policy, or a name with
 * KEY, SECRET, TOKEN, PASSWORD…), and only values of 8 characters or more, so that typing a
 * service name that happens to be the value of some setting is not taken for a leak.
 */
public final class LeakGuard {
    private static final int MIN_LENGTH = 8;
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(SECRET|TOKEN|KEY|PASSWORD|PASSWD|PASS|CREDENTIAL|PRIVATE|AUTH).*");

    /** A leak: the variable it is the value of (null for a bare token shape), and what it looks like. */
    public record Leak(String variable, String description) { }

    private final Supplier<Map<String, String>> current;
    private final Set<String> configured;

    public LeakGuard(Supplier<Map<String, String>> current, Set<String> configured) {
        this.current = current;
        this.configured = Set.copyOf(configured);
    }

    public Optional<Leak> find(String text) {
        if (text == null || text.isEmpty()) return Optional.empty();
        for (Map.Entry<String, String> e : current.get().entrySet()) {
            String value = e.getValue();
            if (value == null || value.length() < MIN_LENGTH) continue;
            if (!configured.contains(e.getKey()) && !SECRET_NAME.matcher(e.getKey()).matches()) continue;
            if (text.contains(value)) return Optional.of(new Leak(e.getKey(), "the current value of " + e.getKey()));
        }
        return Redactor.tokenShape(text).map(shape -> new Leak(null, shape));
    }
}
