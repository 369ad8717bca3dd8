package dev.atrium.controlplane.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.atrium.controlplane.trail.AuditRecord;
import dev.atrium.controlplane.trail.Outcome;

/** An audit event as the API returns it. */
public record AuditEventView(UUID id, UUID tenantId, String chainId, long sequence, Instant occurredAt, Actor actor,
                             String action, Resource resource, Outcome outcome, String detail, String requestId,
                             String sourceIp, String userAgent, JsonNode before, JsonNode after,
                             Map<String, Change> changes, String prevHash, String hash) {

    /** One top-level field that differs between {@code before} and {@code after}. */
    public record Change(JsonNode from, JsonNode to) {
    }

    public record Actor(String id, String type) {
    }

    public record Resource(String type, String id) {
    }

    static AuditEventView of(AuditRecord r) {
        return new AuditEventView(r.id(), r.tenantId(), r.chainId(), r.sequence(), r.occurredAt(),
                new Actor(r.actorId(), r.actorType()), r.action(), new Resource(r.resourceType(), r.resourceId()),
                r.outcome(), r.detail(), r.requestId(), r.sourceIp(), r.userAgent(), r.before(), r.after(),
                diff(r.before(), r.after()), r.prevHash(), r.hash());
    }

    /** The diff is derived on read from the two hashed snapshots, so it can never disagree with them. */
    static Map<String, Change> diff(JsonNode before, JsonNode after) {
        Map<String, Change> changes = new TreeMap<>();
        if (before == null || after == null || !before.isObject() || !after.isObject()) {
            return changes;
        }
        Set<String> fields = new TreeSet<>();
        before.fieldNames().forEachRemaining(fields::add);
        after.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            JsonNode from = before.get(field);
            JsonNode to = after.get(field);
            if (from == null ? to != null : !from.equals(to)) {
                changes.put(field, new Change(from, to));
            }
        }
        return changes;
    }
}
