package dev.atrium.controlplane.member;

import java.time.Instant;
import java.util.UUID;

/**
 * An invitation to join a tenant with a role, addressed to an e-mail address. It becomes a membership only when
 * the person signed in with that verified address accepts it. The same answer is given whether or not an account
 * with that address exists.
 */
public record Invitation(UUID id, UUID tenantId, String tenantSlug, String email, String role, Status status,
                         String invitedBy, Instant invitedAt, Instant expiresAt, Instant respondedAt) {

    public enum Status { PENDING, ACCEPTED, DECLINED, REVOKED, EXPIRED }
}
