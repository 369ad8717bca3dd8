package dev.atrium.dataplane.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.atrium.tenancy.ApiKeyFormat;

/**
 * The real control plane, run from its packaged jar (built earlier in the reactor) with its own embedded
 * PostgreSQL, Keycloak switched off (data planes only use API keys and service keys). Gives the data plane under
 * test a service key, and the tests a platform-admin key to create tenants and keys through the public API.
 */
public class ControlPlaneTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String PLATFORM_KEY_PROPERTY = "test.control-plane.platform-key";
    public static final String URL_PROPERTY = "atrium.control-plane.url";
    private static final Pattern SECRET = Pattern.compile("\"secret\"\\s*:\\s*\"(atr_[0-9A-Za-z]+)\"");

    private static Process process;
    private static int port;
    private static Path workDirectory;
    private static String platformKey;

    @Override
    public Map<String, String> start() {
        try {
            Path jar = Path.of(System.getProperty("test.control-plane.jar", "../control-plane/target/quarkus-app/quarkus-run.jar"));
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build the control plane first (./mvnw package -pl control-plane -DskipTests)");
            }
            workDirectory = Files.createDirectories(Path.of("target", "control-plane-" + UUID.randomUUID()).toAbsolutePath());
            platformKey = ApiKeyFormat.generate(new SecureRandom());
            startProcess(jar);
            String serviceKey = createServiceKey();
            for (String model : APPROVED_PLATFORM_MODELS) {
                approvePlatformModel(model);
            }
            return Map.of(URL_PROPERTY, url(), "atrium.control-plane.service-key", serviceKey, PLATFORM_KEY_PROPERTY, platformKey);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops the control plane (to show that data planes keep serving from cache) ... */
    public static void stopProcess() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** ... and starts it again on the same port and state. */
    public static void restartProcess() {
        try {
            startProcess(Path.of(System.getProperty("test.control-plane.jar", "../control-plane/target/quarkus-app/quarkus-run.jar")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void startProcess(Path jar) throws IOException {
        if (port == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
        }
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-Dquarkus.http.port=" + port, "-Datrium.cache-dir=" + System.getProperty("atrium.cache-dir", workDirectory.resolve("cache").toString()),
                "-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(workDirectory.resolve("control-plane.log").toFile()));
        builder.environment().put("ATRIUM_DATA_DIR", workDirectory.resolve(".atrium").toString());
        builder.environment().put("ATRIUM_KEYCLOAK_ENABLED", "false");
        builder.environment().put("ATRIUM_BOOTSTRAP_API_KEY", platformKey);
        process = builder.start();
        waitUntilReady();
    }

    private static void waitUntilReady() {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the control plane exited; see " + workDirectory.resolve("control-plane.log"));
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the control plane did not become ready; see " + workDirectory.resolve("control-plane.log"));
    }

    /** The simulation's models, registered platform-wide with an APPROVED version "1", as an operator would. */
    static final List<String> APPROVED_PLATFORM_MODELS = List.of("chat", "flaky", "down", "leaky", "hashed-embeddings", "private");

    /** A complete model card, as the control plane's review requires. */
    public static final String CARD = """
            {"details": {"description": "Simulated model for tests", "owners": [{"name": "Atrium tests", "contact": "tests@atrium.dev"}],
                         "license": "Apache-2.0"},
             "intendedUse": {"primaryUses": ["tests"], "outOfScopeUses": ["production"]},
             "trainingData": {"datasets": [{"name": "none (simulation)"}]},
             "evaluationResults": [{"metric": "accuracy", "value": 1.0, "dataset": "simulation", "split": "test"}],
             "limitations": ["answers are canned"],
             "ethicalConsiderations": [{"risk": "none", "mitigation": "not a real model"}]}""";

    private static void approvePlatformModel(String name) throws IOException {
        call("POST", "/api/v1/platform/models", "{\"name\":\"" + name + "\",\"type\":\"llm\"}", 201);
        call("POST", "/api/v1/platform/models/" + name + "/versions",
                "{\"version\":\"1\",\"artifactUri\":\"sim://" + name + "\",\"card\":" + CARD + "}", 201);
        call("POST", "/api/v1/platform/models/" + name + "/versions/1:submit", "", 200);
        call("POST", "/api/v1/platform/models/" + name + "/versions/1:approve", "{\"comment\":\"test fixture\"}", 200);
    }

    /** A platform-admin call to the control plane, failing loudly on an unexpected status. */
    public static String call(String method, String path, String body, int expected) throws IOException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                    .header("Authorization", "Bearer " + platformKey).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String createServiceKey() throws IOException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/service-keys"))
                    .header("Authorization", "Bearer " + platformKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"data plane under test\",\"region\":\"local-a\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher secret = SECRET.matcher(response.body());
            if (response.statusCode() != 201 || !secret.find()) {
                throw new IllegalStateException("could not create a service key: " + response.statusCode() + " " + response.body());
            }
            return secret.group(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
        }
    }
}
