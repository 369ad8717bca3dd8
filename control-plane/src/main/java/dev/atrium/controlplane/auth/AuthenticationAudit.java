package dev.atrium.controlplane.auth;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.audit.AuditEntry;
import dev.atrium.controlplane.audit.AuditTrail;
import dev.atrium.controlplane.common.RequestMetadata;

/** Writes failed authentications to the audit trail, in their own transaction. */
@ApplicationScoped
public class AuthenticationAudit {

    @Inject
    AuditTrail auditTrail;

    /** A presented credential was refused; {@code tenantId} is set when the key was found (revoked, expired). */
    public void failed(String actorId, UUID tenantId, String reason, RequestMetadata request) {
        auditTrail.recordIndependently(AuditEntry.failure("auth.failed", reason)
                .tenant(tenantId)
                .actor(actorId, ActorType.API_KEY)
                .request(request));
    }

    public void missingCredentials() {
        auditTrail.recordIndependently(AuditEntry.denied("auth.missing", "no credentials presented")
                .actor("anonymous", ActorType.ANONYMOUS));
    }
}
