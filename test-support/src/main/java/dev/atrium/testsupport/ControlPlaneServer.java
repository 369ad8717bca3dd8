package dev.atrium.testsupport;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.atrium.tenancy.ApiKeyFormat;

/**
 * The real control plane, run from its packaged jar with its own embedded PostgreSQL in a throw-away data directory
 * and a generated platform-admin API key. It can be stopped and started again on the same port and state (data
 * planes must keep serving while it is away).
 */
public final class ControlPlaneServer implements AutoCloseable {

    private final PackagedApp app;
    private final String platformKey;

    private ControlPlaneServer(PackagedApp app, String platformKey) {
        this.app = app;
        this.platformKey = platformKey;
    }

    /**
     * Starts the jar named by the system property {@code test.control-plane.jar} (default: the reactor's), with
     * {@code environment} added (e.g. {@code ATRIUM_KEYCLOAK_ENABLED=false}).
     */
    public static ControlPlaneServer start(Map<String, String> environment) {
        String platformKey = ApiKeyFormat.generate(new SecureRandom());
        Map<String, String> env = new HashMap<>(environment);
        env.put("ATRIUM_BOOTSTRAP_API_KEY", platformKey);
        PackagedApp app = new PackagedApp("control-plane", "test.control-plane.jar",
                "../control-plane/target/quarkus-app/quarkus-run.jar", List.of("-Xmx384m"), env);
        app.start();
        return new ControlPlaneServer(app, platformKey);
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
