package dev.atrium.controlplane.member;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.tenancy.Role;

/**
 * Used when Keycloak is switched off ({@code ATRIUM_IAM_KEYCLOAK_ENABLED=false}, API keys only): tenants need no
 * organisation, and member management answers 503 instead of pretending.
 */
public class UnavailableIdentityDirectory implements IdentityDirectory {

    @Override
    public void ensureTenant(UUID tenantId, String slug, String displayName) {
    }

    @Override
    public void removeTenant(UUID tenantId, String slug) {
    }

    @Override
    public List<Member> members(UUID tenantId) {
        throw unavailable();
    }

    @Override
    public Optional<Member> member(UUID tenantId, String userId) {
        throw unavailable();
    }

    @Override
    public Member addExisting(UUID tenantId, String slug, String userId, Role role) {
        throw unavailable();
    }

    @Override
    public Member invite(UUID tenantId, String slug, String email, String firstName, String lastName, Role role) {
        throw unavailable();
    }

    @Override
    public Member changeRole(UUID tenantId, String userId, Role role) {
        throw unavailable();
    }

    @Override
    public void remove(UUID tenantId, String slug, String userId) {
        throw unavailable();
    }

    private static ApiException unavailable() {
        return new ApiException(ProblemType.UNAVAILABLE,
                "no identity provider is configured (Keycloak disabled): members cannot be managed");
    }
}
