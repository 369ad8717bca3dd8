package dev.atrium.console.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.atrium.testsupport.ControlPlaneServer;
import dev.atrium.testsupport.KeycloakServer;

/**
 * What the console needs around it, all real: Keycloak with the atrium realm, and the packaged control plane
 * (embedded PostgreSQL) signed in to that Keycloak. The console under test is the packaged app, pointed at both.
 */
public class ConsoleStackTestResource implements QuarkusTestResourceLifecycleManager {

    private static KeycloakServer keycloak;
    private static ControlPlaneServer controlPlane;

    @Override
    public Map<String, String> start() {
        keycloak = KeycloakServer.start();
        controlPlane = ControlPlaneServer.start(Map.of("ATRIUM_KEYCLOAK_URL", keycloak.url()));
        return Map.of("atrium.control-plane.url", controlPlane.url(), "atrium.keycloak.url", keycloak.url());
    }

    public static KeycloakServer keycloak() {
        return keycloak;
    }

    public static ControlPlaneServer controlPlane() {
        return controlPlane;
    }

    @Override
    public void stop() {
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }
}
