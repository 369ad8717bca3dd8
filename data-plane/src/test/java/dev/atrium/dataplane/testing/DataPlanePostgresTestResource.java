package dev.atrium.dataplane.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.atrium.tenancy.database.EmbeddedDatabase;

/** The region's real PostgreSQL (embedded binaries), one for the whole test run. */
public class DataPlanePostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String OWNER_URL_PROPERTY = "test.owner-jdbc-url";

    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        try {
            Path cache = Path.of(System.getProperty("atrium.cache-dir", System.getProperty("java.io.tmpdir") + "/atrium-cache"));
            database = EmbeddedDatabase.start(Path.of("target", "embedded-pg", UUID.randomUUID().toString()), cache);
        } catch (Exception e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
        Map<String, String> config = new HashMap<>(database.quarkusProperties());
        config.put(OWNER_URL_PROPERTY, database.jdbcUrl());
        return config;
    }

    @Override
    public void stop() {
        try {
            if (database != null) {
                database.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
