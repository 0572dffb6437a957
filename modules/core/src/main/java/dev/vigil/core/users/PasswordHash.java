package dev.vigil.core.users;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted, deliberately slow password hash: PBKDF2 with HMAC-SHA-256, a random 16-byte salt per
 * password and {@link #ITERATIONS} rounds (stored with the hash, so a later raise keeps old
 * entries valid). Verification compares in constant time.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {
    /** PBKDF2-HMAC-SHA256 rounds for new passwords: about 0.1–0.3 s on a server core. */
    public static final int ITERATIONS = 210_000;
    public static final String ALGORITHM = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static PasswordHash create(char[] password) {
        return create(password, ITERATIONS);
    }

    /** A hash with another number of rounds (tests use few, to stay fast; verification reads the number stored). */
    public static PasswordHash create(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    /** {@code pbkdf2-sha256:ITERATIONS:SALT:HASH}, salt and hash in Base64. */
    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return ALGORITHM + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    /** Reads {@link #encoded()}; the message says what is wrong. */
    public static PasswordHash decode(String text) {
        String[] f = text.split(":", -1);
        if (f.length != 4 || !f[0].equals(ALGORITHM)) {
            throw new IllegalArgumentException("expected " + ALGORITHM + ":ITERATIONS:SALT:HASH");
        }
        try {
            int iterations = Integer.parseInt(f[1]);
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be positive, not " + iterations);
            }
            Base64.Decoder b64 = Base64.getDecoder();
            return new PasswordHash(iterations, b64.decode(f[2]), b64.decode(f[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iterations '" + f[1] + "' is not a number", e);
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt)
                && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(hash) + iterations;
    }

    @Override
    public String toString() {
        return "PasswordHash[" + ALGORITHM + ", " + iterations + " iterations]";
    }
}
