package dev.atrium.controlplane.trail;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.compliance.audit.ChainedEvent;

/**
 * One stored audit event. {@link #content()} is exactly what the hash covers: every column except the two
 * hashes, so any change to a stored column breaks the chain.
 */
public record AuditRecord(UUID id, String chainId, long sequence, UUID tenantId, Instant occurredAt, String actorId,
                          String actorType, String action, String resourceType, String resourceId, Outcome outcome,
                          String detail, String requestId, String sourceIp, String userAgent, JsonNode before,
                          JsonNode after, String prevHash, String hash) {

    /** The chain id of events that belong to no tenant (platform operations, unknown credentials). */
    public static final String PLATFORM_CHAIN = "platform";

    public static String chainOf(UUID tenantId) {
        return tenantId == null ? PLATFORM_CHAIN : tenantId.toString();
    }

    public ObjectNode content() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id.toString());
        node.put("chainId", chainId);
        node.put("sequence", sequence);
        node.put("tenantId", tenantId == null ? null : tenantId.toString());
        node.put("occurredAt", DateTimeFormatter.ISO_INSTANT.format(occurredAt));
        node.put("actorId", actorId);
        node.put("actorType", actorType);
        node.put("action", action);
        node.put("resourceType", resourceType);
        node.put("resourceId", resourceId);
        node.put("outcome", outcome.name());
        node.put("detail", detail);
        node.put("requestId", requestId);
        node.put("sourceIp", sourceIp);
        node.put("userAgent", userAgent);
        node.set("before", before);
        node.set("after", after);
        return node;
    }

    public AuditRecord withHash(String newHash) {
        return new AuditRecord(id, chainId, sequence, tenantId, occurredAt, actorId, actorType, action, resourceType,
                resourceId, outcome, detail, requestId, sourceIp, userAgent, before, after, prevHash, newHash);
    }

    public ChainedEvent toChainedEvent() {
        return new ChainedEvent(id.toString(), chainId, sequence, content(), prevHash, hash);
    }
}
