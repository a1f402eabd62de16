package dev.opsbot.core.runbook;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The step kinds runbooks may use, by key. Each kind's description is checked here, once, when
 * the catalog is made (that is, when the bot starts): a kind without a usable key or field list,
 * or two kinds with one key, stop the start with the kind's class and key, instead of surfacing
 * when someone's runbook uses it.
 */
public final class StepKinds {
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private final Map<String, StepKind> byKey;

    public StepKinds(Collection<? extends StepKind> kinds) {
        Map<String, StepKind> checked = new TreeMap<>();
        for (StepKind kind : kinds) {
            String key = keyOf(kind);
            fieldsOf(kind, key);
            StepKind clash = checked.putIfAbsent(key, kind);
            if (clash != null) {
                throw new IllegalStateException("step kinds " + clash.getClass().getName() + " and " + kind.getClass().getName()
                        + " both use the key '" + key + "'");
            }
        }
        this.byKey = Collections.unmodifiableMap(checked);
    }

    /**
     * The kinds listed in {@code META-INF/services/dev.opsbot.core.runbook.StepKind} on the bot's
     * class path: the core's own and any a jar beside it adds.
     */
    public static StepKinds discovered() {
        return discovered(StepKind.class.getClassLoader());
    }

    static StepKinds discovered(ClassLoader loader) {
        try {
            return new StepKinds(ServiceLoader.load(StepKind.class, loader).stream().map(ServiceLoader.Provider::get).toList());
        } catch (ServiceConfigurationError e) {
            // names the listed class that is missing, not a StepKind, or cannot be made
            throw new IllegalStateException("a step kind cannot be loaded: " + e.getMessage(), e);
        }
    }

    public Optional<StepKind> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The keys, sorted (for "known: ..." in a complaint). */
    public Set<String> keys() {
        return byKey.keySet();
    }

    private static String keyOf(StepKind kind) {
        String key;
        try {
            key = kind.key();
        } catch (RuntimeException e) {
            throw broken(kind, null, "its key cannot be read: " + e, e);
        }
        if (key == null || key.isBlank()) throw broken(kind, key, "it has no key", null);
        if (!KEY.matcher(key).matches()) throw broken(kind, key, "a key is lower case letters, digits and dashes", null);
        if (ConfiguredStep.KEYS.contains(key)) {
            throw broken(kind, key, "'" + key + "' is an option every step has ("
                    + String.join(", ", ConfiguredStep.KEYS) + ")", null);
        }
        return key;
    }

    private static void fieldsOf(StepKind kind, String key) {
        StepFields fields;
        try {
            fields = kind.fields();
        } catch (RuntimeException e) {
            throw broken(kind, key, "its fields are not a valid description: " + e.getMessage(), e);
        }
        if (fields == null) {
            throw broken(kind, key, "it does not describe its fields (fields() is null; StepFields.none() for none)", null);
        }
    }

    private static IllegalStateException broken(StepKind kind, String key, String problem, Throwable cause) {
        return new IllegalStateException("step kind " + kind.getClass().getName()
                + (key == null ? "" : " (key '" + key + "')") + ": " + problem, cause);
    }
}
