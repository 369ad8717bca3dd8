package dev.atrium.compliance.audit;

import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Walks a chain in sequence order and checks every link: the sequence has no gap, each event names the
 * previous event's hash, its stored hash matches its content, and the content names the expected chain, id and
 * sequence (so events copied from another tenant's chain are caught). Stops at the first broken event.
 * Works on an iterator so arbitrarily long chains verify in constant memory.
 */
public final class AuditChainVerifier {

    private final String expectedChainId;
    private final String anchorHash;
    private final long firstSequence;

    private AuditChainVerifier(String expectedChainId, String anchorHash, long firstSequence) {
        this.expectedChainId = expectedChainId;
        this.anchorHash = anchorHash;
        this.firstSequence = firstSequence;
    }

    /** Verifies a whole chain, from its first event (which must link to the genesis hash). */
    public static AuditChainVerifier fromGenesis(String chainId) {
        return new AuditChainVerifier(chainId, AuditChain.GENESIS_HASH, 1);
    }

    /** Verifies a chain segment that starts at {@code firstSequence} after a trusted event with {@code anchorHash}. */
    public static AuditChainVerifier fromAnchor(String chainId, long firstSequence, String anchorHash) {
        return new AuditChainVerifier(chainId, anchorHash, firstSequence);
    }

    public ChainVerification verify(Iterator<ChainedEvent> events) {
        String previousHash = anchorHash;
        long expectedSequence = firstSequence;
        long verified = 0;
        while (events.hasNext()) {
            ChainedEvent event = events.next();
            String problem = problemWith(event, expectedSequence, previousHash);
            if (problem != null) {
                return ChainVerification.broken(verified, previousHash, event.eventId(), problem);
            }
            previousHash = event.hash();
            expectedSequence++;
            verified++;
        }
        return ChainVerification.ok(verified, previousHash);
    }

    public ChainVerification verify(Iterable<ChainedEvent> events) {
        return verify(events.iterator());
    }

    private String problemWith(ChainedEvent event, long expectedSequence, String previousHash) {
        if (!expectedChainId.equals(event.chainId()) || !expectedChainId.equals(text(event.content(), "chainId"))) {
            return "event belongs to chain " + event.chainId() + ", not " + expectedChainId;
        }
        if (event.sequence() != expectedSequence) {
            return "expected sequence " + expectedSequence + " but found " + event.sequence()
                    + (event.sequence() > expectedSequence ? " (events missing)" : " (events reordered or inserted)");
        }
        if (!previousHash.equals(event.prevHash())) {
            return "prev_hash does not match the hash of the previous event (events removed, reordered or inserted)";
        }
        if (!event.eventId().equals(text(event.content(), "id"))
                || event.content().path("sequence").asLong(-1) != event.sequence()) {
            return "stored id or sequence differs from the hashed content";
        }
        if (!AuditChain.hash(event.content(), event.prevHash()).equals(event.hash())) {
            return "hash does not match the event content (event changed)";
        }
        return null;
    }

    private static String text(JsonNode content, String field) {
        JsonNode value = content.get(field);
        return value == null ? null : value.asText();
    }
}
