package dev.opsbot.core.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.chat.Tone;
import dev.opsbot.core.compose.EnvFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The .env writer, the generator, what reads a variable, and what the redactor hides: files only, no engine. */
@Timeout(30)
class SecretFilesTest {
    @TempDir
    Path dir;

    @Test
    void writingChangesOnlyTheVariableKeepsThePreviousFileAndBothAreOwnerOnly() throws Exception {
        Path env = dir.resolve(".env");
        String before = "# app secrets\nSECRET_KEY=old-value-123456\nexport OPENAI_API_KEY=\"sk-old\"  \nPORT=8000\n";
        Files.writeString(env, before);
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));

        new EnvFileWriter().set(env, "SECRET_KEY", "new-value-abcdef");

        assertEquals(before.replace("old-value-123456", "new-value-abcdef"), Files.readString(env));
        assertEquals(before, Files.readString(dir.resolve(".env.previous")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".env.previous"))));
        try (var files = Files.list(dir)) {
            assertEquals(Set.of(".env", ".env.previous"), Set.copyOf(files.map(p -> p.getFileName().toString()).toList()), "no temporary file left");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "plainValue-0123_abc/+=      | plainValue-0123_abc/+=",   // kept bare
            "has space and #hash         | 'has space and #hash'",    // single quotes: taken literally
            "dollar$NOT_A_VAR            | 'dollar$NOT_A_VAR'"})      // no interpolation
    void valuesAreWrittenSoThatReadingThemBackGivesTheSameValue(String value, String written) throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "KEY=x\n");
        new EnvFileWriter().set(env, "KEY", value);
        assertEquals("KEY=" + written + "\n", Files.readString(env));
        assertEquals(value, EnvFile.read(env).get("KEY"));
    }

    @Test
    void aValueWithALineBreakIsRefusedWithoutShowingIt() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "KEY=x\n");
        var e = assertThrows(IllegalArgumentException.class, () -> new EnvFileWriter().set(env, "KEY", "line1-secret\nline2"));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertEquals("KEY=x\n", Files.readString(env));
    }

    @Test
    void generatedValuesHaveThePolicysLengthAndAlphabetAndDiffer() {
        SecretPolicy policy = SecretPolicy.generated("SECRET_KEY", 64, SecretPolicy.Alphabets.HEX);
        SecretGenerator g = new SecretGenerator();
        String a = g.generate(policy);
        assertEquals(64, a.length());
        assertTrue(a.matches("[0-9a-f]{64}"), a);
        assertFalse(a.equals(g.generate(policy)));
        assertEquals("2cf24dba", SecretGenerator.fingerprint("hello"), "first 8 hex digits of SHA-256");
    }

    @Test
    void servicesReadingAVariableAreFoundThroughEnvFileAndReferences() throws Exception {
        Files.writeString(dir.resolve(".env"), "SECRET_KEY=abc\nOTHER=1\n");
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, "services:\n"
                + "  backend: {image: b, env_file: .env}\n"
                + "  worker: {image: w, environment: {KEY: \"${SECRET_KEY:-none}\"}}\n"
                + "  web: {image: x, command: [\"echo\", \"$SECRET_KEY_OLD\", \"$$SECRET_KEY\"]}\n"
                + "  proxy: {image: p}\n");
        assertEquals(List.of("backend", "worker"), SecretUsage.services(compose, dir.resolve(".env"), "SECRET_KEY"));
        assertEquals(List.of("backend"), SecretUsage.services(compose, dir.resolve(".env"), "OTHER"));
    }

    @Test
    void redactionHidesCurrentAndEarlierValuesTokenShapesAndUrlPasswordsInEveryPartOfAMessage() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "SECRET_KEY=first-value-0001\n");
        EnvSecrets secrets = new EnvSecrets(List.of(env));
        Redactor r = new Redactor(secrets);
        assertEquals("[redacted]", r.apply("first-value-0001"));
        new EnvFileWriter().set(env, "SECRET_KEY", "second-value-0002");
        Files.setLastModifiedTime(env, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
        new EnvFileWriter().set(env, "SECRET_KEY", "third-value-0003");
        Files.setLastModifiedTime(env, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 4000));
        Message m = Message.builder(Tone.INFO, "first-value-0001").line("second-value-0002 third-value-0003")
                .field("token", "xoxb-123456789012-abcdefgh").code("ghp_abcdefghijklmnopqrstuvwxyz0123")
                .context("https://bot:hunter2pass@git.example.com/app.git").build();
        String shown = r.apply(m).plainText();
        for (String secret : List.of("first-value", "second-value", "third-value", "xoxb-", "ghp_", "hunter2pass")) {
            assertFalse(shown.contains(secret), secret + " shown in:\n" + shown);
        }
        assertTrue(shown.contains("https://bot:[redacted]@git.example.com/app.git"), shown);
    }

    @Test
    void aPastedValueIsFoundOnlyForSecretsNotForEverySetting() {
        LeakGuard guard = new LeakGuard(() -> Map.of("SECRET_KEY", "change-me-demo-secret-0000", "APP_NAME", "backend-service",
                "DB_HOST", "database-host-1"), Set.of("DB_HOST"));
        assertEquals("SECRET_KEY", guard.find("deploy change-me-demo-secret-0000").orElseThrow().variable());
        assertEquals("DB_HOST", guard.find("logs database-host-1").orElseThrow().variable(), "configured secrets count whatever their name");
        assertTrue(guard.find("logs backend-service").isEmpty(), "APP_NAME is not a secret");
        assertEquals("a Slack token", guard.find("deploy xoxb-123456789012-abcdefgh").orElseThrow().description());
        assertTrue(guard.find("deploy sha-1a2b3c4").isEmpty());
    }

    @Test
    void theRedactingPortHandsEveryChatPortMethodToThePlatformIncludingDefaultOnes() {
        for (java.lang.reflect.Method m : dev.opsbot.core.chat.ChatPort.class.getMethods()) {
            try {
                java.lang.reflect.Method own = RedactingChatPort.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                assertFalse(own.isDefault());
            } catch (NoSuchMethodException e) {
                throw new AssertionError("RedactingChatPort does not pass on ChatPort." + m.getName()
                        + ": the platform's answer would be lost behind the redactor");
            }
        }
    }
}
