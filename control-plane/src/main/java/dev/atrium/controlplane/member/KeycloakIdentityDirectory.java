package dev.atrium.controlplane.member;

import java.util.Optional;

import jakarta.ws.rs.WebApplicationException;

import org.keycloak.representations.idm.UserRepresentation;

/**
 * Keycloak through its admin client, as the control plane's service account ({@code atrium-control-plane}, which
 * holds only {@code view-users}, {@code query-users} and {@code view-events}: it can read accounts and login events,
 * never change the realm).
 */
public class KeycloakIdentityDirectory implements IdentityDirectory {

    private final KeycloakAdmin keycloak;

    public KeycloakIdentityDirectory(KeycloakAdmin keycloak) {
        this.keycloak = keycloak;
    }

    @Override
    public Optional<Person> person(String userId) {
        try {
            UserRepresentation user = keycloak.realm().users().get(userId).toRepresentation();
            return Optional.of(new Person(user.getId(), user.getUsername(), user.getEmail(), user.getFirstName(), user.getLastName()));
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
