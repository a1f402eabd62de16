package dev.opsbot.app;

import dev.opsbot.core.store.DatabaseServer;
import java.util.Map;
import java.util.Set;

/**
 * The optional {@code database:} section of opsbot.yml ({@code url}, {@code user}, {@code password}),
 * or {@code OPSBOT_DATABASE_URL}, {@code OPSBOT_DATABASE_USER}, {@code OPSBOT_DATABASE_PASSWORD}:
 * a PostgreSQL database the replicas share. Without a URL the bot keeps its H2 files under the data
 * folder. No message here repeats the password.
 */
final class DatabaseConfig {
    private static final Set<String> KEYS = Set.of("url", "user", "password");

    private DatabaseConfig() {
    }

    /** The configured server; null for the H2 files. */
    static DatabaseServer read(Object section, Map<String, String> env) {
        if (section != null && !(section instanceof Map<?, ?>)) {
            throw new AppConfig.ConfigException("database: expected url, user and password (a PostgreSQL database)");
        }
        Map<?, ?> d = section == null ? Map.of() : (Map<?, ?>) section;
        for (Object k : d.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new AppConfig.ConfigException("database: unknown setting '" + k + "' (known: [password, url, user])");
            }
        }
        String url = pick(env.get("OPSBOT_DATABASE_URL"), d.get("url"));
        String user = pick(env.get("OPSBOT_DATABASE_USER"), d.get("user"));
        String password = pick(env.get("OPSBOT_DATABASE_PASSWORD"), d.get("password"));
        if (url == null) {
            if (user != null || password != null) {
                throw new AppConfig.ConfigException("database: a user or password without a url (jdbc:postgresql://host:port/database)");
            }
            return null;
        }
        try {
            return new DatabaseServer(url, user, password);
        } catch (IllegalArgumentException e) {
            throw new AppConfig.ConfigException("database.url: " + e.getMessage());
        }
    }

    private static String pick(String env, Object yaml) {
        if (env != null && !env.isBlank()) return env;
        return yaml == null ? null : String.valueOf(yaml);
    }
}
