package dev.opsbot.app;

import dev.opsbot.app.AppConfig.ConfigException;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.git.RemoteCredentials;
import dev.opsbot.core.secrets.SecretPolicy;
import dev.opsbot.core.secrets.SecretSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The optional {@code release:} and {@code secrets:} sections of {@code opsbot.yml}
 * (docs/configuration.md). Passwords and tokens are best given through the environment
 * ({@code OPSBOT_GIT_PASSWORD} or {@code OPSBOT_GIT_TOKEN}, {@code OPSBOT_REGISTRY_PASSWORD});
 * no message here ever repeats one.
 */
final class ReleaseAndSecretsConfig {
    private static final Set<String> RELEASE_KEYS = Set.of("repository", "remote", "branches", "username", "password",
            "tagger-name", "tagger-email", "notes-file", "notes-dir", "registry-username", "registry-password");
    private static final Set<String> SECRET_KEYS = Set.of("env-file", "length", "alphabet", "policies");
    private static final Set<String> POLICY_KEYS = Set.of("source", "length", "alphabet", "issuer");
    private static final Pattern ISSUED_ELSEWHERE = Pattern.compile(".*(_API_KEY|_TOKEN)");

    private ReleaseAndSecretsConfig() {
    }

    static ReleaseSettings release(Object section, Path base, Map<String, String> env) {
        Map<?, ?> r = section(section, "release", RELEASE_KEYS);
        String repository = pick(env.get("OPSBOT_RELEASE_REPOSITORY"), r.get("repository"));
        String password = pick(env.get("OPSBOT_GIT_PASSWORD"), pick(env.get("OPSBOT_GIT_TOKEN"), r.get("password")));
        String username = pick(env.get("OPSBOT_GIT_USERNAME"), r.get("username"));
        String registryPassword = pick(env.get("OPSBOT_REGISTRY_PASSWORD"), r.get("registry-password"));
        String registryUsername = pick(env.get("OPSBOT_REGISTRY_USERNAME"), r.get("registry-username"));
        List<String> branches = r.get("branches") == null ? null : strings(r.get("branches"), "release.branches");
        return new ReleaseSettings(repository == null ? null : base.resolve(repository),
                pick(null, r.get("remote")), branches,
                password == null ? null : new RemoteCredentials(username, password),
                pick(null, r.get("tagger-name")), pick(null, r.get("tagger-email")),
                Boolean.TRUE.equals(r.get("notes-file")), pick(null, r.get("notes-dir")),
                registryPassword == null ? null : new RemoteCredentials(registryUsername, registryPassword));
    }

    static SecretSettings secrets(Object section, Path base, Map<String, String> env) {
        Map<?, ?> s = section(section, "secrets", SECRET_KEYS);
        String envFile = pick(env.get("OPSBOT_ENV_FILE"), s.get("env-file"));
        int length = integer(s.get("length"), "secrets.length", 0);
        String alphabet = pick(null, s.get("alphabet"));
        Map<String, SecretPolicy> policies = new LinkedHashMap<>();
        Map<?, ?> declared = s.get("policies") == null ? Map.of() : section(s.get("policies"), "secrets.policies", null);
        for (Map.Entry<?, ?> e : declared.entrySet()) {
            String name = String.valueOf(e.getKey());
            String where = "secrets.policies." + name;
            Map<?, ?> p = e.getValue() == null ? Map.of() : section(e.getValue(), where, POLICY_KEYS);
            String source = pick(null, p.get("source"));
            String issuer = pick(null, p.get("issuer"));
            boolean external = source != null ? switch (source) {
                case "external" -> true;
                case "generated" -> false;
                default -> throw new ConfigException(where + ".source: expected generated or external");
            } : issuer != null || ISSUED_ELSEWHERE.matcher(name).matches();
            try {
                policies.put(name, external ? SecretPolicy.external(name, issuer)
                        : SecretPolicy.generated(name, integer(p.get("length"), where + ".length", length > 0 ? length : SecretPolicy.DEFAULT_LENGTH),
                                SecretPolicy.Alphabets.resolve(pick(null, p.get("alphabet")) == null ? alphabet : pick(null, p.get("alphabet")))));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(where + ": " + ex.getMessage());
            }
        }
        return new SecretSettings(envFile == null ? null : base.resolve(envFile), policies, length, alphabet);
    }

    private static Map<?, ?> section(Object value, String where, Set<String> keys) {
        if (value == null) return Map.of();
        if (!(value instanceof Map<?, ?> m)) throw new ConfigException(where + ": expected a mapping of settings");
        if (keys != null) {
            for (Object k : m.keySet()) {
                if (!keys.contains(String.valueOf(k))) {
                    throw new ConfigException(where + ": unknown setting '" + k + "' (known: " + new TreeSet<>(keys) + ")");
                }
            }
        }
        return m;
    }

    private static List<String> strings(Object value, String where) {
        if (value instanceof String s) return List.of(s);
        if (value instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        throw new ConfigException(where + ": expected a list");
    }

    private static int integer(Object value, String where, int fallback) {
        if (value == null) return fallback;
        if (value instanceof Number n) return n.intValue();
        throw new ConfigException(where + ": expected a whole number");
    }

    private static String pick(String env, Object yaml) {
        if (env != null && !env.isBlank()) return env;
        return yaml == null ? null : String.valueOf(yaml);
    }
}
