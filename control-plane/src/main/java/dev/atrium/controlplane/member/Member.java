package dev.atrium.controlplane.member;

import java.time.Instant;

/** A person's membership in a tenant, with the profile they had when they joined (from their own token or account). */
public record Member(String userId, String username, String email, String firstName, String lastName, String role,
                    Instant joinedAt, String addedBy) {
}
