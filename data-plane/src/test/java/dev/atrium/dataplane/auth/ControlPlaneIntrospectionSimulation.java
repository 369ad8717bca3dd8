package dev.atrium.dataplane.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.atrium.dataplane.controlplane.ControlPlaneClient;
import dev.atrium.dataplane.testing.ControlPlaneSettings;

/**
 * SIMULATION of the control plane's introspection endpoints ({@code POST /internal/v1/api-keys:introspect} and
 * {@code tokens:introspect}) over real HTTP, with a scripted answer: a verdict, a 429 with {@code Retry-After}, a
 * server error, an answer slower than the data plane waits, or none at all (stopped: connection refused). The
 * data plane's real {@link ControlPlaneClient} talks to it.
 */
final class ControlPlaneIntrospectionSimulation implements AutoCloseable {

    /** What the next introspection requests get. */
    record Script(int status, String body, Map<String, String> headers, Duration delay) {
        static Script verdict(String json) {
            return new Script(200, json, Map.of(), Duration.ZERO);
        }

        static Script throttled(long retryAfterSeconds) {
            return new Script(429, "{\"type\":\"https://atrium.dev/problems/rate-limited\",\"status\":429}",
                    Map.of("Retry-After", String.valueOf(retryAfterSeconds)), Duration.ZERO);
        }

        static Script serverError() {
            return new Script(500, "{\"status\":500}", Map.of(), Duration.ZERO);
        }

        Script slowerBy(Duration delay) {
            return new Script(status, body, headers, delay);
        }
    }

    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Script script = Script.verdict("{\"active\":false,\"reason\":\"unknown API key\"}");
    private volatile CountDownLatch gate = new CountDownLatch(0);

    ControlPlaneIntrospectionSimulation() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/internal/v1/", this::answer);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void answer(Script next) {
        script = next;
    }

    /** Holds every answer until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    int calls() {
        return calls.get();
    }

    /** Stops listening: from now on the data plane's connections are refused, as when the control plane is down. */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        Script answer = script;
        try {
            gate.await(10, TimeUnit.SECONDS);
            Thread.sleep(answer.delay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // the data plane gave up waiting and closed the connection
        }
    }

    /** A {@link ControlPlaneClient} as the application builds it, pointed at this simulation. */
    ControlPlaneClient client(Duration timeout) {
        return new ControlPlaneClient(ControlPlaneSettings.pointingAt(url(), timeout), new ObjectMapper());
    }
}
