package dev.atrium.controlplane.identity;

import java.util.UUID;

import dev.atrium.tenancy.Role;

/**
 * Fired synchronously in the transaction that changes a person's role in a tenant or removes them ({@code role} null):
 * what the person's rights granted before, such as API keys they created, is narrowed there.
 */
public record MembershipChanged(UUID tenantId, String actorId, Role role) {
}
