package dev.atrium.testsupport;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.tenancy.ApiKeyFormat;

/**
 * The real control plane, run from its packaged jar with its own embedded PostgreSQL in a throw-away data directory,
 * a generated platform-admin API key and a generated operator-configured data-plane service key for region
 * {@code local-a} (acting for every tenant, as the local launcher's keys do). It can be stopped and started again on
 * the same port and state (data planes must keep serving while it is away).
 */
public final class ControlPlaneServer implements AutoCloseable {

    private final PackagedApp app;
    private final String platformKey;
    private final String serviceKey;

    private ControlPlaneServer(PackagedApp app, String platformKey, String serviceKey) {
        this.app = app;
        this.platformKey = platformKey;
        this.serviceKey = serviceKey;
    }

    /**
     * Starts the jar named by the system property {@code test.control-plane.jar} (default: the reactor's), with
     * {@code environment} added (e.g. {@code ATRIUM_KEYCLOAK_ENABLED=false}).
     */
    public static ControlPlaneServer start(Map<String, String> environment) {
        String platformKey = ApiKeyFormat.generate(new SecureRandom());
        String serviceKey = ApiKeyFormat.generate(new SecureRandom());
        Map<String, String> env = new HashMap<>(environment);
        env.put("ATRIUM_BOOTSTRAP_API_KEY", platformKey);
        env.put("ATRIUM_API_KEYS_SERVICE_KEYS", "local-a=" + serviceKey);
        // the data plane under test is region local-a (zone eu); us-east-test is a region of another zone where nothing runs
        env.putIfAbsent("ATRIUM_REGIONS_STATIC", "local-a=eu=http://127.0.0.1:8081,us-east-test=us=http://127.0.0.1:9");
        // model backends in tests are simulations on the loopback address
        env.putIfAbsent("ATRIUM_DEPLOYMENTS_ALLOW_PRIVATE_UPSTREAMS", "true");
        env.putIfAbsent("ATRIUM_ROLLOUTS_EVALUATION_INTERVAL", "1s");
        PackagedApp app = new PackagedApp("control-plane", "test.control-plane.jar",
                "../control-plane/target/quarkus-app/quarkus-run.jar", List.of("-Xmx384m"), env);
        app.start();
        return new ControlPlaneServer(app, platformKey, serviceKey);
    }

    /**
     * Starts it with Keycloak: the URL, and the secret Keycloak generated for the control plane's own client.
     */
    public static ControlPlaneServer start(KeycloakServer keycloak, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("ATRIUM_KEYCLOAK_URL", keycloak.url());
        env.put("ATRIUM_KEYCLOAK_ADMIN_CLIENT_SECRET", keycloak.clientSecret("atrium-control-plane"));
        return start(env);
    }

    /** The operator-configured service key of region {@code local-a}: a data plane's identity for every tenant. */
    public String serviceKey() {
        return serviceKey;
    }

    public String url() {
        return app.url();
    }

    public String platformKey() {
        return platformKey;
    }

    /** A platform-admin call, failing loudly on an unexpected status. */
    public String call(String method, String path, String json, int expected) {
        return Http.call(method, url() + path, platformKey, json, expected);
    }

    public void stop() {
        app.stop();
    }

    public void restart() {
        app.stop();
        app.start();
    }

    @Override
    public void close() {
        app.stop();
    }
}
