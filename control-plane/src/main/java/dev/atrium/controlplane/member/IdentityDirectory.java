package dev.atrium.controlplane.member;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.atrium.tenancy.Role;

/**
 * Port to the identity provider that owns people, organisations and per-tenant roles. Keycloak is the adapter
 * ({@link KeycloakIdentityDirectory}): a tenant is an organisation plus groups {@code /tenants/<id>/<role>}.
 */
public interface IdentityDirectory {

    /** Creates (or converges) the tenant's organisation and role groups; idempotent. */
    void ensureTenant(UUID tenantId, String slug, String displayName);

    /** Removes the tenant's organisation and groups; idempotent. */
    void removeTenant(UUID tenantId, String slug);

    List<Member> members(UUID tenantId);

    Optional<Member> member(UUID tenantId, String userId);

    /** Adds an existing user (by id) to the tenant with a role. */
    Member addExisting(UUID tenantId, String slug, String userId, Role role);

    /** Invites a person by e-mail: an existing account is added, otherwise an account is created and must be claimed. */
    Member invite(UUID tenantId, String slug, String email, String firstName, String lastName, Role role);

    Member changeRole(UUID tenantId, String userId, Role role);

    void remove(UUID tenantId, String slug, String userId);
}
