package dev.atrium.controlplane.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.atrium.testsupport.KeycloakServer;

/**
 * Starts the real Keycloak server with the {@code atrium} realm once for the whole test run and points the control
 * plane's OIDC and admin client at it.
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String URL_PROPERTY = "atrium.iam.keycloak.url";
    /** The master realm's bootstrap admin, for test set-up that the control plane's own account may not do. */
    public static final String ADMIN_PASSWORD_PROPERTY = "test.keycloak.admin-password";
    private KeycloakServer keycloak;

    @Override
    public Map<String, String> start() {
        keycloak = KeycloakServer.start();
        return Map.of(URL_PROPERTY, keycloak.url(), ADMIN_PASSWORD_PROPERTY, keycloak.adminPassword(),
                "atrium.iam.keycloak.admin-client-secret", keycloak.clientSecret("atrium-control-plane"));
    }

    @Override
    public void stop() {
        if (keycloak != null) {
            keycloak.close();
        }
    }
}
