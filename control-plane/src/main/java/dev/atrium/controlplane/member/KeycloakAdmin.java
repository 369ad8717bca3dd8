package dev.atrium.controlplane.member;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;

import dev.atrium.controlplane.common.AtriumConfig;

/**
 * The control plane's connection to Keycloak's admin API, as its own read-only service account (client credentials
 * of {@code atrium-control-plane}), usable from requests and background jobs alike. Created on first use.
 */
@ApplicationScoped
public class KeycloakAdmin {

    @Inject
    AtriumConfig config;

    private volatile Keycloak keycloak;

    public RealmResource realm() {
        return client().realm(config.iam().keycloak().realm());
    }

    private Keycloak client() {
        if (keycloak == null) {
            synchronized (this) {
                if (keycloak == null) {
                    AtriumConfig.Iam.Keycloak settings = config.iam().keycloak();
                    keycloak = KeycloakBuilder.builder()
                            .serverUrl(settings.url())
                            .realm(settings.realm())
                            .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                            .clientId(settings.adminClientId())
                            .clientSecret(settings.adminClientSecret().filter(secret -> !secret.isBlank()).orElseThrow(() ->
                                    new IllegalStateException("ATRIUM_KEYCLOAK_ADMIN_CLIENT_SECRET is not set: the control plane "
                                            + "needs the secret Keycloak generated for the atrium-control-plane client")))
                            .build();
                }
            }
        }
        return keycloak;
    }

    @PreDestroy
    void close() {
        if (keycloak != null) {
            keycloak.close();
        }
    }
}
