package dev.atrium.controlplane.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the real Keycloak server (the distribution the build unpacked from Maven Central) with the
 * {@code atrium} realm from {@code infra/keycloak/}, once for the whole test run, on free ports with a throw-away
 * database, and points the control plane's OIDC and admin client at it.
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String URL_PROPERTY = "atrium.iam.keycloak.url";
    /** The master realm's bootstrap admin, for test set-up that the control plane's own account may not do. */
    public static final String ADMIN_PASSWORD_PROPERTY = "test.keycloak.admin-password";
    private Process keycloak;

    @Override
    public Map<String, String> start() {
        try {
            Path home = Path.of(System.getProperty("test.keycloak.home"));
            Path realm = Path.of(System.getProperty("test.keycloak.realm-file"));
            Files.createDirectories(home.resolve("data/import"));
            Files.copy(realm, home.resolve("data/import/atrium-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            Path work = Path.of("target", "keycloak-test", UUID.randomUUID().toString()).toAbsolutePath();
            Files.createDirectories(work);
            int port = freePort();
            int managementPort = freePort();
            ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + managementPort,
                    "--import-realm", "--db-url=jdbc:h2:file:" + work.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE")
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("keycloak.log").toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            String adminPassword = UUID.randomUUID().toString();
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            keycloak = builder.start();
            String url = "http://127.0.0.1:" + port;
            awaitRealm(url, work.resolve("keycloak.log"));
            return Map.of(URL_PROPERTY, url, ADMIN_PASSWORD_PROPERTY, adminPassword);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("Keycloak did not start", e);
        }
    }

    private void awaitRealm(String url, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline) {
            if (!keycloak.isAlive()) {
                throw new IllegalStateException("Keycloak exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                        URI.create(url + "/realms/atrium/.well-known/openid-configuration")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Keycloak not ready in time:\n" + Files.readString(log));
    }

    @Override
    public void stop() {
        if (keycloak != null) {
            keycloak.descendants().forEach(ProcessHandle::destroy);
            keycloak.destroy();
            try {
                keycloak.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
