package dev.atrium.compliance.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.compliance.audit.CanonicalJson;

/**
 * A periodic statement about one audit chain, after AWS CloudTrail's digest files: which events it covers
 * (sequence range, first and last hash, time range), which digest came before it, and which key signs it. Signed
 * digests pin the chain head, so events removed or rewritten after a digest was written are detected, even by
 * someone who recomputes every hash after the change.
 *
 * @param digestSequence     1-based position of this digest among the chain's digests
 * @param previousDigestHash {@link #hash()} of the previous digest, or 64 zeros for the first
 */
public record ChainDigest(String chainId, long digestSequence, String periodStart, String periodEnd, long eventCount,
                          long firstSequence, long lastSequence, String firstEventHash, String lastEventHash,
                          String previousDigestHash, String keyId) {

    public static final String NO_PREVIOUS_DIGEST = "0".repeat(64);

    /** Exactly what is signed and hashed. */
    public ObjectNode content() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("chainId", chainId);
        node.put("digestSequence", digestSequence);
        node.put("periodStart", periodStart);
        node.put("periodEnd", periodEnd);
        node.put("eventCount", eventCount);
        node.put("firstSequence", firstSequence);
        node.put("lastSequence", lastSequence);
        node.put("firstEventHash", firstEventHash);
        node.put("lastEventHash", lastEventHash);
        node.put("previousDigestHash", previousDigestHash);
        node.put("keyId", keyId);
        return node;
    }

    public byte[] canonicalBytes() {
        return CanonicalJson.write(content()).getBytes(StandardCharsets.UTF_8);
    }

    /** SHA-256 of the canonical content, hex; the next digest links to it. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
