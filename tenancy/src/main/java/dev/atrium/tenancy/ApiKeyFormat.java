package dev.atrium.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The API-key wire format: {@code atr_} + 40 random base62 characters (about 238 bits) + a 6-character base62
 * CRC32 checksum of everything before it. The fixed prefix makes leaked keys findable by secret scanners; the
 * checksum lets us reject typos and random strings without a database lookup (as GitHub's tokens do).
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "atr_";
    public static final int RANDOM_LENGTH = 40;
    public static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    /** How many characters of a key are shown to identify it (prefix + 8 random characters). */
    public static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 8;

    private static final Pattern CANDIDATE = Pattern.compile(PREFIX + "[0-9A-Za-z]{" + (RANDOM_LENGTH + CHECKSUM_LENGTH) + "}(?![0-9A-Za-z])");

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private ApiKeyFormat() {
    }

    /** Generates a new random key. */
    public static String generate(SecureRandom random) {
        StringBuilder key = new StringBuilder(LENGTH).append(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return key.append(checksum(key)).toString();
    }

    /**
     * Parses a presented key.
     *
     * @throws InvalidApiKeyException naming what is wrong (never echoing the key)
     */
    public static ParsedApiKey parse(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            throw new InvalidApiKeyException("API key must start with '" + PREFIX + "'");
        }
        if (presented.length() != LENGTH) {
            throw new InvalidApiKeyException("API key must be " + LENGTH + " characters long");
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (base62Value(presented.charAt(i)) < 0) {
                throw new InvalidApiKeyException("API key contains a character outside [0-9A-Za-z]");
            }
        }
        String body = presented.substring(0, LENGTH - CHECKSUM_LENGTH);
        if (!checksum(body).equals(presented.substring(LENGTH - CHECKSUM_LENGTH))) {
            throw new InvalidApiKeyException("API key checksum does not match (typo or truncated key?)");
        }
        return new ParsedApiKey(presented, presented.substring(0, DISPLAY_PREFIX_LENGTH));
    }

    /** True when {@code candidate} looks like an Atrium key at all (used to pick the authentication mechanism). */
    public static boolean looksLikeApiKey(String candidate) {
        return candidate != null && candidate.startsWith(PREFIX);
    }

    /**
     * True when {@code text} contains a complete, checksum-valid Atrium key anywhere: what must never be stored,
     * logged or returned after creation (secret scanners use the same shape).
     */
    public static boolean containsKey(CharSequence text) {
        if (text == null) {
            return false;
        }
        Matcher candidates = CANDIDATE.matcher(text);
        while (candidates.find()) {
            String candidate = candidates.group();
            if (checksum(candidate.substring(0, LENGTH - CHECKSUM_LENGTH)).equals(candidate.substring(LENGTH - CHECKSUM_LENGTH))) {
                return true;
            }
        }
        return false;
    }

    static String checksum(CharSequence body) {
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = BASE62[(int) (value % 62)];
            value /= 62;
        }
        return new String(out);
    }

    private static int base62Value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 36;
        }
        return -1;
    }

    /** A key that passed format and checksum validation; {@code displayPrefix} is safe to show and log. */
    public record ParsedApiKey(String secret, String displayPrefix) {
        @Override
        public String toString() {
            return "ParsedApiKey[" + displayPrefix + "...]";
        }
    }
}
