package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.opsbot.core.store.DatabaseServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The database: section of opsbot.yml and its environment variables, as docs/configuration.md shows them. */
class DatabaseConfigTest {
    @TempDir
    Path dir;

    private AppConfig load(String yaml, Map<String, String> env) throws Exception {
        return OpsbotYml.load(dir, yaml, env);
    }

    @Test
    void withoutADatabaseTheBotKeepsItsH2Files() throws Exception {
        AppConfig c = load("stack: {compose-file: srv/docker-compose.yml}\n", Map.of());
        assertNull(c.databaseServer());
        assertEquals(dir.resolve("data/opsbot"), c.database());
    }

    @Test
    void theSectionNamesTheServerAndTheEnvironmentGoesFirst() throws Exception {
        AppConfig c = load("""
                database:
                  url: jdbc:postgresql://db.internal:5432/opsbot
                  user: opsbot
                """, Map.of("OPSBOT_DATABASE_PASSWORD", "pg-secret-0123", "OPSBOT_DATABASE_USER", "opsbot_bot"));
        assertEquals(new DatabaseServer("jdbc:postgresql://db.internal:5432/opsbot", "opsbot_bot", "pg-secret-0123"), c.databaseServer());
        assertEquals("PostgreSQL jdbc:postgresql://db.internal:5432/opsbot as opsbot_bot", c.databaseServer().toString());
        assertFalse(c.toString().contains("pg-secret-0123"), "settings never print the password");

        AppConfig fromEnv = load("{}", Map.of("OPSBOT_DATABASE_URL", "jdbc:postgresql://10.0.0.5/ops"));
        assertEquals(new DatabaseServer("jdbc:postgresql://10.0.0.5/ops", null, null), fromEnv.databaseServer());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("not PostgreSQL", "database: {url: 'jdbc:mysql://db/opsbot'}",
                        "database.url: a database URL is jdbc:postgresql://host:port/database (PostgreSQL), not jdbc:mysql://db/opsbot"),
                Arguments.of("a password but no url", "database: {password: x}",
                        "database: a user or password without a url (jdbc:postgresql://host:port/database)"),
                Arguments.of("a misspelt key", "database: {url: 'jdbc:postgresql://db/opsbot', pasword: x}",
                        "database: unknown setting 'pasword' (known: [password, url, user])"),
                Arguments.of("not a section", "database: jdbc:postgresql://db/opsbot",
                        "database: expected url, user and password (a PostgreSQL database)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aWrongSectionIsRefusedWithTheReason(String what, String yaml, String message) {
        AppConfig.ConfigException e = assertThrows(AppConfig.ConfigException.class, () -> load(yaml, Map.of()));
        assertEquals(message, e.getMessage());
    }
}
