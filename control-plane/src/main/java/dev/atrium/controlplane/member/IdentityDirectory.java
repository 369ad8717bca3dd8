package dev.atrium.controlplane.member;

import java.util.Optional;

/**
 * Port to the identity provider that owns people's accounts. Atrium keeps memberships and roles itself; it only
 * asks the provider who an account is. Keycloak is the adapter ({@link KeycloakIdentityDirectory}), reading with
 * the control plane's read-only account.
 */
public interface IdentityDirectory {

    /** The account with this id, if it exists. */
    Optional<Person> person(String userId);

    /** An account as the identity provider describes it. */
    record Person(String userId, String username, String email, String firstName, String lastName) {
    }
}
