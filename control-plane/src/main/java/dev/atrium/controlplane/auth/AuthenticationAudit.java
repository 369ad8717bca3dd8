package dev.atrium.controlplane.auth;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.atrium.controlplane.common.RequestMetadata;

/** Writes failed authentications to the audit trail (aggregated per source address, see {@link FailedAuthentications}). */
@ApplicationScoped
public class AuthenticationAudit {

    @Inject
    FailedAuthentications failures;

    /** A presented credential was refused; {@code tenantId} is set when the key was found (revoked, expired). */
    public void failed(String actorId, UUID tenantId, String reason, RequestMetadata request) {
        failures.failed(actorId, ActorType.API_KEY, tenantId, reason, request);
    }

    public void missingCredentials(RequestMetadata request) {
        failures.missingCredentials(request);
    }
}
