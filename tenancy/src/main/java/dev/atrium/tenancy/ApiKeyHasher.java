package dev.atrium.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes API keys as HMAC-SHA-256 under a server-side pepper. Only the hash is stored, so a database dump alone
 * does not reveal usable keys nor allow offline guessing without the pepper. Keys carry ~238 random bits, so a
 * slow password hash is unnecessary and a fast keyed hash keeps authentication cheap.
 */
public final class ApiKeyHasher {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec pepper;

    public ApiKeyHasher(byte[] pepper) {
        if (pepper == null || pepper.length < 32) {
            throw new IllegalArgumentException("API-key pepper must be at least 32 bytes");
        }
        this.pepper = new SecretKeySpec(pepper.clone(), ALGORITHM);
    }

    /** The lowercase hex HMAC-SHA-256 of the key. */
    public String hash(String apiKey) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(pepper);
            return HexFormat.of().formatHex(mac.doFinal(apiKey.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
    }

    /** Compares the key's hash with a stored hash in time independent of where they differ. */
    public boolean matches(String apiKey, String storedHash) {
        if (storedHash == null) {
            return false;
        }
        return constantTimeEquals(hash(apiKey), storedHash);
    }

    /**
     * An unkeyed SHA-256 of the key, for in-memory lookups where the pepper is not available (a data plane's
     * verdict cache), so the raw key is not kept as a map key. Never store it: without the pepper it allows
     * offline checking of guessed keys.
     */
    public static String fingerprint(String apiKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Constant-time equality of two strings of ASCII hex (length is not secret). */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
