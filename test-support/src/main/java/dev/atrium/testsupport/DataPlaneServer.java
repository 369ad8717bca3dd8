package dev.atrium.testsupport;

import java.util.List;
import java.util.Map;

/**
 * A real data plane (region {@code local-a}), run from its packaged jar with its own embedded PostgreSQL, using the
 * control plane's operator-configured service key of that region.
 */
public final class DataPlaneServer implements AutoCloseable {

    private final PackagedApp app;

    private DataPlaneServer(PackagedApp app) {
        this.app = app;
    }

    /** Starts the jar named by {@code test.data-plane.jar} (default: the reactor's) against {@code controlPlane}. */
    public static DataPlaneServer start(ControlPlaneServer controlPlane) {
        String serviceKey = controlPlane.serviceKey();
        PackagedApp app = new PackagedApp("data-plane", "test.data-plane.jar", "../data-plane/target/quarkus-app/quarkus-run.jar",
                List.of("-Xmx512m", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"),
                Map.of("ATRIUM_REGION", "local-a", "ATRIUM_CONTROL_PLANE_URL", controlPlane.url(), "ATRIUM_SERVICE_KEY", serviceKey));
        app.start();
        // the control plane knows region local-a by its endpoint: this process's, so erasure commands reach it
        controlPlane.call("PATCH", "/api/v1/platform/regions/local-a", "{\"endpoint\":\"" + app.url() + "\"}", 200);
        return new DataPlaneServer(app);
    }

    public String url() {
        return app.url();
    }

    @Override
    public void close() {
        app.stop();
    }
}
