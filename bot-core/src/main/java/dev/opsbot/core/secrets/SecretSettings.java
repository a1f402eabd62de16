package dev.opsbot.core.secrets;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the stack's secrets live and how each is renewed. {@code envFile} null means the
 * {@code .env} beside the compose file. A secret without a policy is generated
 * ({@code defaultLength} characters of {@code defaultAlphabet}), unless its name says another
 * service issues it ({@code *_API_KEY}, {@code *_TOKEN}): then a person enters it.
 */
public record SecretSettings(Path envFile, Map<String, SecretPolicy> policies, int defaultLength, String defaultAlphabet) {
    private static final Pattern ISSUED_ELSEWHERE = Pattern.compile(".*(_API_KEY|_TOKEN)");

    public SecretSettings {
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        defaultLength = defaultLength <= 0 ? SecretPolicy.DEFAULT_LENGTH : defaultLength;
        defaultAlphabet = SecretPolicy.Alphabets.resolve(defaultAlphabet);
    }

    public static SecretSettings defaults() {
        return new SecretSettings(null, Map.of(), 0, null);
    }

    /** The .env file of a stack whose compose file is {@code composeFile}. */
    public Path envFile(Path composeFile) {
        return envFile != null ? envFile : composeFile.toAbsolutePath().getParent().resolve(".env");
    }

    public SecretPolicy policy(String name) {
        SecretPolicy configured = policies.get(name);
        if (configured != null) return configured;
        if (ISSUED_ELSEWHERE.matcher(name).matches()) return SecretPolicy.external(name, "");
        return SecretPolicy.generated(name, defaultLength, defaultAlphabet);
    }
}
