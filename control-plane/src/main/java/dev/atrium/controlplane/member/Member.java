package dev.atrium.controlplane.member;

import dev.atrium.tenancy.Role;

/**
 * A person's membership in a tenant. {@code status} is INVITED until the person has set a password and signed in
 * for the first time (Keycloak required actions pending), ACTIVE afterwards.
 */
public record Member(String userId, String username, String email, String firstName, String lastName, String role,
                     Status status) {

    static Member of(String userId, String username, String email, String firstName, String lastName, Role role,
                     Status status) {
        return new Member(userId, username, email, firstName, lastName, role.value(), status);
    }

    public enum Status { ACTIVE, INVITED }
}
