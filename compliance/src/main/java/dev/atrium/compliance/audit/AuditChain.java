package dev.atrium.compliance.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The chaining rule of the audit trail: {@code hash = SHA-256(canonical JSON of the content || prev_hash)}, hex
 * encoded, with a chain's first event linking to {@link #GENESIS_HASH}. Changing, removing, reordering or
 * inserting any event breaks every later link, which {@link AuditChainVerifier} detects.
 */
public final class AuditChain {

    /** The {@code prev_hash} of the first event of every chain. */
    public static final String GENESIS_HASH = "0".repeat(64);

    private AuditChain() {
    }

    public static String hash(JsonNode content, String prevHash) {
        MessageDigest sha256 = sha256();
        sha256.update(CanonicalJson.write(content).getBytes(StandardCharsets.UTF_8));
        sha256.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
