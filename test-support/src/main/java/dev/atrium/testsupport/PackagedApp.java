package dev.atrium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One of Atrium's Quarkus apps run from its packaged jar (built earlier in the reactor) as a real process, on a free
 * port with a throw-away data directory, restartable on the same port and state.
 */
final class PackagedApp {

    private final String name;
    private final Path jar;
    private final List<String> jvmArguments;
    private final Map<String, String> environment;
    private final Path workDirectory;
    private final int port = Ports.free();
    private Process process;

    PackagedApp(String name, String jarProperty, String defaultJar, List<String> jvmArguments, Map<String, String> environment) {
        this.name = name;
        this.jar = Path.of(System.getProperty(jarProperty, defaultJar));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw package -DskipTests)");
        }
        this.jvmArguments = List.copyOf(jvmArguments);
        this.environment = Map.copyOf(environment);
        try {
            this.workDirectory = Files.createDirectories(Path.of("target", name + "-" + UUID.randomUUID()).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void start() {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmArguments);
        command.addAll(List.of("-Dquarkus.http.port=" + port,
                "-Datrium.cache-dir=" + System.getProperty("atrium.cache-dir", workDirectory.resolve("cache").toString()),
                "-jar", jar.toAbsolutePath().toString()));
        Path log = workDirectory.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("ATRIUM_DATA_DIR", workDirectory.resolve(".atrium").toString());
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Processes.awaitHttp200(process, url() + "/q/health/ready", Duration.ofSeconds(120), log);
    }

    synchronized void stop() {
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
}
