package dev.atrium.controlplane.trail;

import java.util.UUID;

import dev.atrium.controlplane.common.RequestMetadata;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;

/**
 * What a service wants recorded, before the trail adds time, request metadata, sequence and hashes. Without an
 * explicit actor the current caller is used (or the system, outside a request).
 */
public final class AuditEntry {

    final String action;
    final Outcome outcome;
    String detail;
    UUID tenantId;
    String resourceType;
    String resourceId;
    Object before;
    Object after;
    String actorId;
    ActorType actorType;
    RequestMetadata request;

    private AuditEntry(String action, Outcome outcome, String detail) {
        this.action = action;
        this.outcome = outcome;
        this.detail = detail;
    }

    public static AuditEntry success(String action) {
        return new AuditEntry(action, Outcome.SUCCESS, null);
    }

    public static AuditEntry failure(String action, String detail) {
        return new AuditEntry(action, Outcome.FAILURE, detail);
    }

    public static AuditEntry denied(String action, String detail) {
        return new AuditEntry(action, Outcome.DENIED, detail);
    }

    public String action() {
        return action;
    }

    /** A human-readable explanation kept with the event (at most 1,000 characters are stored). */
    public AuditEntry detail(String detail) {
        this.detail = detail;
        return this;
    }

    /** The tenant whose chain receives the event; null means the platform chain. */
    public AuditEntry tenant(UUID tenantId) {
        this.tenantId = tenantId;
        return this;
    }

    public AuditEntry resource(String type, Object id) {
        this.resourceType = type;
        this.resourceId = id == null ? null : id.toString();
        return this;
    }

    /** State before the change; secret-looking fields are redacted when recorded. */
    public AuditEntry before(Object before) {
        this.before = before;
        return this;
    }

    /** State after the change; secret-looking fields are redacted when recorded. */
    public AuditEntry after(Object after) {
        this.after = after;
        return this;
    }

    public AuditEntry actor(Caller caller) {
        return actor(caller.actorId(), caller.actorType());
    }

    /** Request facts for events written outside the REST layer (authentication runs before it). */
    public AuditEntry request(RequestMetadata metadata) {
        this.request = metadata;
        return this;
    }

    public AuditEntry actor(String id, ActorType type) {
        this.actorId = id;
        this.actorType = type;
        return this;
    }
}
