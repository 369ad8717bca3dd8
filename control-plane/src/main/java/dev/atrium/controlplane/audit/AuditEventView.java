package dev.atrium.controlplane.audit;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** An audit event as the API returns it. */
public record AuditEventView(UUID id, UUID tenantId, String chainId, long sequence, Instant occurredAt, Actor actor,
                             String action, Resource resource, Outcome outcome, String detail, String requestId,
                             String sourceIp, String userAgent, JsonNode before, JsonNode after, String prevHash,
                             String hash) {

    public record Actor(String id, String type) {
    }

    public record Resource(String type, String id) {
    }

    static AuditEventView of(AuditRecord r) {
        return new AuditEventView(r.id(), r.tenantId(), r.chainId(), r.sequence(), r.occurredAt(),
                new Actor(r.actorId(), r.actorType()), r.action(), new Resource(r.resourceType(), r.resourceId()),
                r.outcome(), r.detail(), r.requestId(), r.sourceIp(), r.userAgent(), r.before(), r.after(),
                r.prevHash(), r.hash());
    }
}
