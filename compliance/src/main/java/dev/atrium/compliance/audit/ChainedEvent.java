package dev.atrium.compliance.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One link of an audit hash chain as stored: the event's content (everything that was recorded, including its
 * id, chain and sequence number) plus the hash of the previous link and its own hash.
 *
 * @param eventId  the event's id, also present in {@code content} as {@code "id"}
 * @param chainId  the chain the event belongs to (a tenant id, or {@code platform}), also in {@code content}
 * @param sequence 1-based position in the chain, also in {@code content} as {@code "sequence"}
 */
public record ChainedEvent(String eventId, String chainId, long sequence, JsonNode content, String prevHash, String hash) {
}
