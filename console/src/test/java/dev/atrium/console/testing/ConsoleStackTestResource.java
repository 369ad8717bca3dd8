package dev.atrium.console.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.atrium.testsupport.ControlPlaneServer;
import dev.atrium.testsupport.DataPlaneServer;
import dev.atrium.testsupport.KeycloakServer;

/**
 * What the console needs around it, all real: Keycloak with the atrium realm, the packaged control plane (embedded
 * PostgreSQL) signed in to that Keycloak, and a packaged data plane (region local-a, its own embedded PostgreSQL)
 * registered with the control plane. The console under test is the packaged app, pointed at all three.
 */
public class ConsoleStackTestResource implements QuarkusTestResourceLifecycleManager {

    private static KeycloakServer keycloak;
    private static ControlPlaneServer controlPlane;
    private static DataPlaneServer dataPlane;

    @Override
    public Map<String, String> start() {
        keycloak = KeycloakServer.start();
        controlPlane = ControlPlaneServer.start(keycloak, Map.of());
        dataPlane = DataPlaneServer.start(controlPlane);
        return Map.of("atrium.control-plane.url", controlPlane.url(), "atrium.keycloak.url", keycloak.url(),
                "atrium.data-plane.url", dataPlane.url(), "quarkus.oidc.credentials.secret", keycloak.clientSecret("atrium-console"));
    }

    public static KeycloakServer keycloak() {
        return keycloak;
    }

    public static ControlPlaneServer controlPlane() {
        return controlPlane;
    }

    @Override
    public void stop() {
        if (dataPlane != null) {
            dataPlane.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }
}
