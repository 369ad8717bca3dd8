package dev.atrium.controlplane.testing;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.atrium.tenancy.ApiKeyFormat;
import dev.atrium.tenancy.database.EmbeddedDatabase;

/**
 * Starts one real PostgreSQL for the whole test run (shared by every test class) and a platform-admin key that
 * the application registers at start, like ATRIUM_BOOTSTRAP_API_KEY does in automation.
 */
public class EmbeddedPostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BOOTSTRAP_KEY_PROPERTY = "atrium.api-keys.bootstrap-key";
    public static final String OWNER_URL_PROPERTY = "test.owner-jdbc-url";
    /** The operator-configured (region-wide) data-plane service keys of regions test-eu-1 and test-us-1. */
    public static final String OPERATOR_SERVICE_KEY_PROPERTY = "test.operator-service-key";
    /** A Kubernetes region name with an operator-configured key, not registered until a test registers it. */
    public static final String KUBERNETES_REGION = "k8s-shared-eu";
    public static final String KUBERNETES_ENDPOINT_PROPERTY = "test.kubernetes-region-endpoint";

    private EmbeddedDatabase database;
    private DataPlaneSimulation dataPlanes;

    @Override
    public Map<String, String> start() {
        try {
            Path cache = Path.of(System.getProperty("atrium.cache-dir", System.getProperty("java.io.tmpdir") + "/atrium-cache"));
            database = EmbeddedDatabase.start(Path.of("target", "embedded-pg", UUID.randomUUID().toString()), cache);
        } catch (Exception e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
        Map<String, String> config = new HashMap<>(database.quarkusProperties());
        config.put(BOOTSTRAP_KEY_PROPERTY, ApiKeyFormat.generate(new SecureRandom()));
        String euKey = ApiKeyFormat.generate(new SecureRandom());
        String usKey = ApiKeyFormat.generate(new SecureRandom());
        String kubernetesKey = ApiKeyFormat.generate(new SecureRandom());
        config.put("atrium.api-keys.service-keys", "test-eu-1=" + euKey + ",test-us-1=" + usKey + "," + KUBERNETES_REGION + "="
                + kubernetesKey);
        // a region in eu and one in us, both simulated data planes; apac has none, so creating a tenant there is refused
        try {
            dataPlanes = new DataPlaneSimulation();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        config.put("atrium.regions.static", "test-eu-1=eu=" + dataPlanes.endpoint("test-eu-1", euKey)
                + ",test-us-1=us=" + dataPlanes.endpoint("test-us-1", usKey));
        config.put(OPERATOR_SERVICE_KEY_PROPERTY + ".test-eu-1", euKey);
        config.put(OPERATOR_SERVICE_KEY_PROPERTY + ".test-us-1", usKey);
        config.put(OPERATOR_SERVICE_KEY_PROPERTY + "." + KUBERNETES_REGION, kubernetesKey);
        // a Kubernetes region a test registers itself: its shared data plane is simulated here too
        config.put(KUBERNETES_ENDPOINT_PROPERTY, dataPlanes.endpoint(KUBERNETES_REGION, kubernetesKey));
        config.put(OWNER_URL_PROPERTY, database.jdbcUrl());
        return config;
    }

    @Override
    public void stop() {
        if (dataPlanes != null) {
            dataPlanes.stop();
        }
        try {
            if (database != null) {
                database.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
