package dev.atrium.tenancy.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server run from the binaries that Maven Central ships (zonky), for one-machine installs
 * and tests. Data survives restarts when a persistent directory is given. Creates two roles, as a production
 * database should have: {@value #OWNER_ROLE} owns the schema and runs migrations, {@value #APP_ROLE} is what the
 * application connects as (DML only, and no UPDATE or DELETE on the audit trail).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "atrium";
    public static final String OWNER_ROLE = "atrium_owner";
    public static final String APP_ROLE = "atrium_app";

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL on a free loopback port.
     *
     * @param dataDirectory where the cluster lives (kept between runs)
     * @param binaryCache   where the binaries are unpacked (outside build output, so a clean build keeps them)
     */
    public static EmbeddedDatabase start(Path dataDirectory, Path binaryCache) throws IOException {
        Files.createDirectories(dataDirectory.getParent());
        Files.createDirectories(binaryCache);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaryCache.toFile())
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        EmbeddedDatabase database = new EmbeddedDatabase(postgres);
        database.ensureRolesAndDatabase();
        return database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Quarkus settings that point the application (app role) and Flyway (owner role) at this server. */
    public Map<String, String> quarkusProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.datasource.jdbc.url", jdbcUrl());
        properties.put("quarkus.datasource.username", APP_ROLE);
        properties.put("quarkus.datasource.password", APP_ROLE);
        properties.put("quarkus.flyway.username", OWNER_ROLE);
        properties.put("quarkus.flyway.password", OWNER_ROLE);
        properties.put("atrium.db.app-role", APP_ROLE);
        return properties;
    }

    private void ensureRolesAndDatabase() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            for (String role : new String[] {OWNER_ROLE, APP_ROLE}) {
                if (!exists(statement, "SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
                    statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + role + "' NOSUPERUSER NOBYPASSRLS");
                }
            }
            if (!exists(statement, "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER_ROLE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the embedded database", e);
        }
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            return result.next();
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
