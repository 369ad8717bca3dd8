package dev.atrium.controlplane.member;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.atrium.controlplane.common.AtriumConfig;

/** Keycloak when enabled, otherwise a directory that refuses member operations. */
@ApplicationScoped
public class IdentityDirectoryProducer {

    @Produces
    @Singleton
    IdentityDirectory identityDirectory(AtriumConfig config, KeycloakAdmin keycloak) {
        return config.iam().keycloak().enabled()
                ? new KeycloakIdentityDirectory(keycloak)
                : new UnavailableIdentityDirectory();
    }
}
