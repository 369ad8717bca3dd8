package dev.atrium.dataplane.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.atrium.testsupport.ControlPlaneServer;
import dev.atrium.testsupport.Http;
import dev.atrium.testsupport.KeycloakServer;

/**
 * The real control plane, run from its packaged jar with its own embedded PostgreSQL, and the real Keycloak (people
 * review model cards: API keys never hold reviewer rights). Gives the data plane under test the control plane's
 * operator-configured service key of region local-a, and the tests a platform-admin key to create tenants and keys
 * through the public API.
 */
public class ControlPlaneTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String PLATFORM_KEY_PROPERTY = "test.control-plane.platform-key";
    public static final String URL_PROPERTY = "atrium.control-plane.url";
    public static final String PASSWORD = "correct-horse-battery";

    private static KeycloakServer keycloak;
    private static ControlPlaneServer server;
    private static String platformReviewer;

    @Override
    public Map<String, String> start() {
        keycloak = KeycloakServer.start();
        server = ControlPlaneServer.start(keycloak, Map.of());
        keycloak.createUser("platform-reviewer", PASSWORD, "platform-compliance-officer");
        platformReviewer = keycloak.token("platform-reviewer", PASSWORD);
        for (String model : APPROVED_PLATFORM_MODELS) {
            approvePlatformModel(model);
        }
        return Map.of(URL_PROPERTY, server.url(), "atrium.control-plane.service-key", server.serviceKey(),
                PLATFORM_KEY_PROPERTY, server.platformKey());
    }

    public static String url() {
        return server.url();
    }

    /** The test realm, to create people (compliance officers who review model cards). */
    public static KeycloakServer keycloak() {
        return keycloak;
    }

    /** Stops the control plane (to show that data planes keep serving from cache) ... */
    public static void stopProcess() {
        server.stop();
    }

    /** ... and starts it again on the same port and state. */
    public static void restartProcess() {
        server.restart();
    }

    /** The simulation's models, registered platform-wide with an APPROVED version "1", as an operator would. */
    static final List<String> APPROVED_PLATFORM_MODELS = List.of("chat", "flaky", "down", "leaky", "huge", "stall", "slow", "hashed-embeddings", "private");

    /** A complete model card, as the control plane's review requires. */
    public static final String CARD = """
            {"details": {"description": "Simulated model for tests", "owners": [{"name": "Atrium tests", "contact": "tests@atrium.dev"}],
                         "license": "Apache-2.0"},
             "intendedUse": {"primaryUses": ["tests"], "outOfScopeUses": ["production"]},
             "trainingData": {"datasets": [{"name": "none (simulation)"}]},
             "evaluationResults": [{"metric": "accuracy", "value": 1.0, "dataset": "simulation", "split": "test"}],
             "limitations": ["answers are canned"],
             "ethicalConsiderations": [{"risk": "none", "mitigation": "not a real model"}]}""";

    private static void approvePlatformModel(String name) {
        server.call("POST", "/api/v1/platform/models", "{\"name\":\"" + name + "\",\"type\":\"llm\"}", 201);
        server.call("POST", "/api/v1/platform/models/" + name + "/versions",
                "{\"version\":\"1\",\"artifactUri\":\"sim://" + name + "\",\"card\":" + CARD + "}", 201);
        server.call("POST", "/api/v1/platform/models/" + name + "/versions/1:submit", "", 200);
        Http.call("POST", server.url() + "/api/v1/platform/models/" + name + "/versions/1:approve", platformReviewer,
                "{\"comment\":\"test fixture\"}", 200);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }
}
