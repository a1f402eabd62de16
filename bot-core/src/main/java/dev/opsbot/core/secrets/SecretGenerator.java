package dev.opsbot.core.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** New secret values from a strong random source, and the fingerprint the bot shows instead of a value. */
public final class SecretGenerator {
    private final SecureRandom random;

    public SecretGenerator() {
        this(new SecureRandom());
    }

    SecretGenerator(SecureRandom random) {
        this.random = random;
    }

    /** {@code policy.length()} characters, each drawn uniformly from the policy's alphabet. */
    public String generate(SecretPolicy policy) {
        if (policy.external()) throw new IllegalArgumentException(policy.name() + " is issued by another service, not generated");
        String alphabet = policy.alphabet();
        StringBuilder out = new StringBuilder(policy.length());
        for (int i = 0; i < policy.length(); i++) out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return out.toString();
    }

    /** The first 8 hex digits of the value's SHA-256: enough to tell two values apart, nothing to recover one. */
    public static String fingerprint(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
