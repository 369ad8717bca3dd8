package dev.atrium.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

/**
 * The real Keycloak server (the distribution the control-plane build unpacked from Maven Central) with the
 * {@code atrium} realm from {@code infra/keycloak/}, on free ports with a throw-away H2 database. The test JVM's
 * system properties {@code test.keycloak.home} and {@code test.keycloak.realm-file} say where they are.
 */
public final class KeycloakServer implements AutoCloseable {

    private final Process process;
    private final String url;
    private final String adminPassword;

    private KeycloakServer(Process process, String url, String adminPassword) {
        this.process = process;
        this.url = url;
        this.adminPassword = adminPassword;
    }

    public static KeycloakServer start() {
        try {
            Path home = Path.of(System.getProperty("test.keycloak.home"));
            Path realm = Path.of(System.getProperty("test.keycloak.realm-file"));
            Files.createDirectories(home.resolve("data/import"));
            Files.copy(realm, home.resolve("data/import/atrium-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            Path work = Files.createDirectories(Path.of("target", "keycloak-test", UUID.randomUUID().toString()).toAbsolutePath());
            int port = Ports.free();
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + Ports.free(),
                    "--import-realm", "--db-url=jdbc:h2:file:" + work.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE")
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("keycloak.log").toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            // Tests sign the same person in several times in quick succession; Keycloak 26's brute-force protection
            // otherwise answers a login that overlaps another of the same user with "Invalid user credentials".
            builder.environment().put("KC_SPI_BRUTE_FORCE_PROTECTOR_DEFAULT_BRUTE_FORCE_DETECTOR_ALLOW_CONCURRENT_REQUESTS", "true");
            String adminPassword = UUID.randomUUID().toString();
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            KeycloakServer server = new KeycloakServer(builder.start(), "http://127.0.0.1:" + port, adminPassword);
            Processes.awaitHttp200(server.process, server.url + "/realms/atrium/.well-known/openid-configuration",
                    Duration.ofSeconds(240), work.resolve("keycloak.log"));
            // as make run does for its local realm: the shipped realm keeps the CLI's password grant off
            server.allowPasswordGrant("atrium-cli");
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak did not start", e);
        }
    }

    public String url() {
        return url;
    }

    /** The password of the master realm's bootstrap admin ({@code admin}), for test set-up. */
    public String adminPassword() {
        return adminPassword;
    }

    /**
     * The secret Keycloak generated for a confidential client of the {@code atrium} realm at import (the shipped
     * realm file holds none).
     */
    public String clientSecret(String clientId) {
        return Http.jsonString(Http.call("GET", url + "/admin/realms/atrium/clients/" + clientUuid(clientId) + "/client-secret",
                adminToken(), null, 200), "value");
    }

    /** Turns on the resource-owner password grant for a client (local and test realms only: it is off when shipped). */
    public void allowPasswordGrant(String clientId) {
        Http.call("PUT", url + "/admin/realms/atrium/clients/" + clientUuid(clientId), adminToken(),
                "{\"directAccessGrantsEnabled\": true}", 204);
    }

    /**
     * Creates a person in the {@code atrium} realm with a verified e-mail address ({@code <username>@example.com}), a
     * password and optional realm roles (e.g. {@code platform-compliance-officer}); returns the account id.
     */
    public String createUser(String username, String password, String... realmRoles) {
        String admin = adminToken();
        Http.call("POST", url + "/admin/realms/atrium/users", admin, """
                {"username": "%s", "email": "%s@example.com", "emailVerified": true, "enabled": true,
                 "firstName": "%s", "lastName": "Tester",
                 "credentials": [{"type": "password", "value": "%s", "temporary": false}]}"""
                .formatted(username, username, username, password), 201);
        String id = Http.jsonString(Http.call("GET", url + "/admin/realms/atrium/users?exact=true&username=" + username,
                admin, null, 200), "id");
        for (String role : realmRoles) {
            String representation = Http.call("GET", url + "/admin/realms/atrium/roles/" + role, admin, null, 200);
            Http.call("POST", url + "/admin/realms/atrium/users/" + id + "/role-mappings/realm", admin,
                    "[" + representation + "]", 204);
        }
        return id;
    }

    /** A person's access token, through the CLI client's password grant (on in test realms). */
    public String token(String username, String password) {
        return Http.jsonString(Http.form(url + "/realms/atrium/protocol/openid-connect/token", "grant_type", "password",
                "client_id", "atrium-cli", "username", username, "password", password, "scope", "openid"), "access_token");
    }

    private String clientUuid(String clientId) {
        return Http.jsonString(Http.call("GET", url + "/admin/realms/atrium/clients?clientId=" + clientId, adminToken(), null, 200), "id");
    }

    /** An access token of the master realm's admin, for Keycloak's admin REST API. */
    public String adminToken() {
        String body = Http.form(url + "/realms/master/protocol/openid-connect/token", "grant_type", "password",
                "client_id", "admin-cli", "username", "admin", "password", adminPassword);
        return Http.jsonString(body, "access_token");
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
