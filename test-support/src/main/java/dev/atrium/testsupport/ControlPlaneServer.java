package dev.atrium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.atrium.tenancy.ApiKeyFormat;

/**
 * The real control plane, run from its packaged jar (built earlier in the reactor) with its own embedded PostgreSQL
 * in a throw-away data directory and a generated platform-admin API key. It can be stopped and started again on the
 * same port and state (data planes must keep serving while it is away).
 */
public final class ControlPlaneServer implements AutoCloseable {

    private final Path jar;
    private final Path workDirectory;
    private final Map<String, String> environment;
    private final int port = Ports.free();
    private final String platformKey;
    private Process process;

    private ControlPlaneServer(Path jar, Map<String, String> environment, String platformKey) throws IOException {
        this.jar = jar;
        this.environment = environment;
        this.platformKey = platformKey;
        this.workDirectory = Files.createDirectories(Path.of("target", "control-plane-" + UUID.randomUUID()).toAbsolutePath());
    }

    /**
     * Starts the jar named by the system property {@code test.control-plane.jar} (default: the reactor's), with
     * {@code environment} added (e.g. {@code ATRIUM_KEYCLOAK_ENABLED=false}).
     */
    public static ControlPlaneServer start(Map<String, String> environment) {
        Path jar = Path.of(System.getProperty("test.control-plane.jar", "../control-plane/target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the control plane first (./mvnw package -pl control-plane -DskipTests)");
        }
        try {
            ControlPlaneServer server = new ControlPlaneServer(jar, Map.copyOf(environment), ApiKeyFormat.generate(new SecureRandom()));
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String platformKey() {
        return platformKey;
    }

    /** A platform-admin call, failing loudly on an unexpected status. */
    public String call(String method, String path, String json, int expected) {
        return Http.call(method, url() + path, platformKey, json, expected);
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public synchronized void restart() {
        stop();
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void startProcess() throws IOException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
                "-Dquarkus.http.port=" + port,
                "-Datrium.cache-dir=" + System.getProperty("atrium.cache-dir", workDirectory.resolve("cache").toString()),
                "-jar", jar.toAbsolutePath().toString());
        Path log = workDirectory.resolve("control-plane.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("ATRIUM_DATA_DIR", workDirectory.resolve(".atrium").toString());
        env.put("ATRIUM_BOOTSTRAP_API_KEY", platformKey);
        builder.environment().putAll(env);
        process = builder.start();
        Processes.awaitHttp200(process, url() + "/q/health/ready", Duration.ofSeconds(90), log);
    }
}
