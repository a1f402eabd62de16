package dev.opsbot.core.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A value sealed to a public key, so that it can pass through a database several replicas share
 * without ever being in it in clear: the process waiting for the value makes a key pair and keeps
 * the private half in its memory only; the process that receives the value seals it to the public
 * half (an ephemeral X25519 agreement, HKDF-SHA256, AES-256-GCM bound to a context such as the
 * form it answers); only the waiting process can open it. A sealed value whose process is gone can
 * be opened by nobody.
 */
public final class SealedBox {
    private static final String VERSION = "v1";
    private static final String CURVE = "X25519";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] INFO = "opsbot sealed value".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;

    private SealedBox(KeyPair keys) {
        this.keys = keys;
    }

    /** A new key pair, for one value. */
    public static SealedBox create() {
        try {
            return new SealedBox(KeyPairGenerator.getInstance(CURVE).generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is missing from this Java runtime", e);
        }
    }

    /** The public half, as text to store beside what waits for the value. */
    public String publicKey() {
        return ENCODE.encodeToString(keys.getPublic().getEncoded());
    }

    /** Seals {@code value} to {@code publicKey} (as {@link #publicKey()} gave it), bound to {@code context}. */
    public static String seal(String publicKey, String value, String context) {
        try {
            KeyPair ephemeral = KeyPairGenerator.getInstance(CURVE).generateKeyPair();
            PublicKey recipient = KeyFactory.getInstance(CURVE).generatePublic(new X509EncodedKeySpec(DECODE.decode(publicKey)));
            byte[] ephemeralKey = ephemeral.getPublic().getEncoded();
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher aes = cipher(Cipher.ENCRYPT_MODE, agree(ephemeral, recipient, ephemeralKey, DECODE.decode(publicKey)), nonce, context);
            byte[] sealed = aes.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return String.join(".", VERSION, ENCODE.encodeToString(ephemeralKey), ENCODE.encodeToString(nonce), ENCODE.encodeToString(sealed));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the value cannot be sealed to that key: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Opens a value sealed to this box's public key for {@code context}; fails when it was sealed otherwise or altered. */
    public String open(String sealed, String context) {
        String[] parts = sealed.split("\\.");
        if (parts.length != 4 || !parts[0].equals(VERSION)) throw new IllegalArgumentException("not a sealed value");
        try {
            byte[] ephemeralKey = DECODE.decode(parts[1]);
            PublicKey sender = KeyFactory.getInstance(CURVE).generatePublic(new X509EncodedKeySpec(ephemeralKey));
            Cipher aes = cipher(Cipher.DECRYPT_MODE, agree(keys, sender, ephemeralKey, keys.getPublic().getEncoded()),
                    DECODE.decode(parts[2]), context);
            return new String(aes.doFinal(DECODE.decode(parts[3])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the sealed value cannot be opened: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The AES key both sides derive: HKDF-SHA256 of the X25519 secret, salted with both public keys. */
    private static byte[] agree(KeyPair own, PublicKey other, byte[] ephemeralKey, byte[] recipientKey) throws GeneralSecurityException {
        KeyAgreement agreement = KeyAgreement.getInstance(CURVE);
        agreement.init(own.getPrivate());
        agreement.doPhase(other, true);
        byte[] shared = agreement.generateSecret();
        Mac extract = Mac.getInstance("HmacSHA256");
        extract.init(new SecretKeySpec(ByteBuffer.allocate(ephemeralKey.length + recipientKey.length)
                .put(ephemeralKey).put(recipientKey).array(), "HmacSHA256"));
        byte[] pseudoRandom = extract.doFinal(shared);
        Mac expand = Mac.getInstance("HmacSHA256");
        expand.init(new SecretKeySpec(pseudoRandom, "HmacSHA256"));
        expand.update(INFO);
        return expand.doFinal(new byte[] {1});
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        aes.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return aes;
    }
}
