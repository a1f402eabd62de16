package dev.opsbot.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.secrets.SecretPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The release: and secrets: sections of opsbot.yml, as docs/configuration.md shows them. */
@Timeout(30)
class ReleaseAndSecretsConfigTest {
    @TempDir
    Path dir;

    private AppConfig load(String yaml, Map<String, String> env) throws Exception {
        return OpsbotYml.load(dir, yaml, env);
    }

    @Test
    void theDocumentedSectionsAreReadAndThePasswordComesFromTheEnvironment() throws Exception {
        AppConfig c = load("""
                stack: {compose-file: srv/docker-compose.yml}
                release:
                  repository: clone
                  branches: [main, "release/*"]
                  notes-file: true
                secrets:
                  length: 40
                  policies:
                    SECRET_KEY: {length: 64, alphabet: hex}
                    OPENAI_API_KEY: {issuer: "OpenAI"}
                """, Map.of("OPSBOT_GIT_TOKEN", "ghp_tokenvalue0123456789abcdef"));
        assertEquals(dir.resolve("clone"), c.release().repository());
        assertTrue(c.release().notesFile());
        assertTrue(c.release().allows("release/1.2") && !c.release().allows("feature/x"));
        assertEquals("ghp_tokenvalue0123456789abcdef", c.release().credentials().password());
        assertFalse(c.release().toString().contains("ghp_") || c.release().credentials().toString().contains("ghp_"),
                "settings never print the password");
        SecretPolicy key = c.secrets().policy("SECRET_KEY");
        assertEquals(64, key.length());
        assertEquals(SecretPolicy.Alphabets.HEX, key.alphabet());
        assertTrue(c.secrets().policy("OPENAI_API_KEY").external());
        assertEquals("OpenAI", c.secrets().policy("OPENAI_API_KEY").issuer());
        assertEquals(40, c.secrets().policy("DB_PASSWORD").length(), "unlisted secrets use the section's length");
        assertTrue(c.secrets().policy("GITHUB_TOKEN").external(), "a *_TOKEN is issued elsewhere");
        assertEquals(dir.resolve("srv/.env"), c.secrets().envFile(c.composeFile()));
    }

    @Test
    void withoutTheSectionsReleasesAreNotConfiguredAndSecretsUseTheDefaults() throws Exception {
        AppConfig c = load("runbooks: runbooks\n", Map.of());
        assertNull(c.release().repository());
        assertEquals(List.of("main", "release/*"), c.release().branches());
        assertEquals(SecretPolicy.DEFAULT_LENGTH, c.secrets().policy("SECRET_KEY").length());
    }

    @Test
    void mistakesAreRefusedWithTheSettingNamed() {
        var typo = assertThrows(AppConfig.ConfigException.class, () -> load("release: {repo: x}\n", Map.of()));
        assertTrue(typo.getMessage().contains("release: unknown setting 'repo'"), typo.getMessage());
        var tooShort = assertThrows(AppConfig.ConfigException.class,
                () -> load("secrets: {policies: {SECRET_KEY: {length: 8}}}\n", Map.of()));
        assertTrue(tooShort.getMessage().contains("secrets.policies.SECRET_KEY"), tooShort.getMessage());
    }
}
