package dev.atrium.controlplane.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.atrium.tenancy.ApiKeyFormat;
import dev.atrium.tenancy.database.EmbeddedDatabase;

/**
 * Runs the packaged control plane the way {@code make run} does (java -jar, embedded PostgreSQL, state in a data
 * directory) and checks what an operator relies on: the bootstrap key is printed once, only its hash is kept,
 * state survives a restart, and a configured datasource replaces the embedded one.
 */
class LocalLauncherIT {

    private static final Pattern PRINTED_KEY = Pattern.compile("atr_[0-9A-Za-z]{46}");
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path work;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : started) {
            stop(process);
        }
    }

    @Test
    void firstStartPrintsABootstrapKeyOnceAndStateSurvivesRestart() throws Exception {
        Path dataDir = work.resolve(".atrium");
        int port = freePort();

        Path firstLog = work.resolve("first.log");
        Process first = start(port, dataDir, firstLog, Map.of());
        awaitReady(port, first, firstLog);
        String output = Files.readString(firstLog);
        Matcher key = PRINTED_KEY.matcher(output);
        assertThat(key.find()).as("bootstrap key printed").isTrue();
        String bootstrapKey = key.group();
        ApiKeyFormat.parse(bootstrapKey);
        assertThat(output).contains("Embedded PostgreSQL");

        Path masterKeys = dataDir.resolve("secrets-master-keys");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(masterKeys))).isEqualTo("rw-------");
        assertThat(Files.exists(dataDir.resolve("api-key-pepper"))).as("the pepper lives in the secret store").isFalse();
        assertThat(Files.exists(dataDir.resolve("control-plane/pgdata/PG_VERSION"))).isTrue();

        HttpResponse<String> created = send(port, bootstrapKey, "POST", "/api/v1/tenants",
                "{\"slug\":\"persisted\",\"displayName\":\"Persisted Inc\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(bootstrapKey);
        stop(first);

        Path secondLog = work.resolve("second.log");
        Process second = start(port, dataDir, secondLog, Map.of());
        awaitReady(port, second, secondLog);
        assertThat(PRINTED_KEY.matcher(Files.readString(secondLog)).find()).as("no second key is printed").isFalse();
        HttpResponse<String> list = send(port, bootstrapKey, "GET", "/api/v1/tenants", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"slug\":\"persisted\"");
        assertThat(send(port, bootstrapKey, "GET", "/api/v1/audit/verify?tenantId=platform", null).body())
                .contains("\"valid\":true");
    }

    @Test
    void bootstrapKeyFromTheEnvironmentAndAnExternalDatasourceReplaceTheDefaults() throws Exception {
        try (EmbeddedDatabase external = EmbeddedDatabase.start(work.resolve("external-pg"),
                Path.of(System.getProperty("atrium.cache-dir", work.resolve("cache").toString())))) {
            String automationKey = ApiKeyFormat.generate(new SecureRandom());
            int port = freePort();
            Path log = work.resolve("external.log");
            Process process = start(port, work.resolve("state"), log, Map.of(
                    "ATRIUM_BOOTSTRAP_API_KEY", automationKey,
                    "QUARKUS_DATASOURCE_JDBC_URL", external.jdbcUrl(),
                    "QUARKUS_DATASOURCE_USERNAME", EmbeddedDatabase.OWNER_ROLE,
                    "QUARKUS_DATASOURCE_PASSWORD", external.password(EmbeddedDatabase.OWNER_ROLE)));
            awaitReady(port, process, log);
            String output = Files.readString(log);
            assertThat(output).doesNotContain("Embedded PostgreSQL");
            assertThat(PRINTED_KEY.matcher(output).find()).as("the automation key is not echoed").isFalse();
            assertThat(send(port, automationKey, "GET", "/api/v1/tenants", null).statusCode()).isEqualTo(200);
        }
    }

    private Process start(int port, Path dataDir, Path log, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Datrium.cache-dir=" + System.getProperty("atrium.cache-dir", work.resolve("cache").toString()),
                "-jar", JAR.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("ATRIUM_DATA_DIR", dataDir.toString());
        // this test is about the database and the bootstrap key: API keys only, no Keycloak
        builder.environment().put("ATRIUM_KEYCLOAK_ENABLED", "false");
        // tenants are placed at creation: a static region of the default zone, as make run registers
        builder.environment().put("ATRIUM_REGIONS_STATIC", "local-a=eu=http://127.0.0.1:8081");
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private void awaitReady(int port, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("control plane exited early:\n%s", Files.readString(log)).isTrue();
            try {
                if (send(port, null, "GET", "/q/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("control plane not ready in time:\n" + Files.readString(log));
    }

    private HttpResponse<String> send(int port, String key, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
