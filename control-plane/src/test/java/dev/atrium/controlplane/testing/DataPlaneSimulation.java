package dev.atrium.controlplane.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.restassured.RestAssured;

/**
 * SIMULATION of the data planes of the control plane's test regions (test-eu-1, test-us-1): ready on
 * {@code /q/health/ready}, and on {@code POST /internal/v1/tenants/{id}:erase} it does what a data plane does with an
 * erasure command: it asks the control plane whether the token is genuine (with the region's operator service key)
 * and answers a receipt, with zero counts since it stores nothing. The real erasure is tested in the data plane.
 */
public final class DataPlaneSimulation {

    /** A command the simulation received, and the control plane's verdict on its token. */
    public record Command(String region, UUID tenantId, String verdict) {
    }

    public static final List<Command> COMMANDS = new CopyOnWriteArrayList<>();
    private static final Pattern ERASE = Pattern.compile("/internal/v1/tenants/([0-9a-f-]{36}):erase");

    private final HttpServer server;
    private final Map<String, String> serviceKeys = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    DataPlaneSimulation() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    /** Where region {@code name} answers; its service key verifies the commands it receives. */
    String endpoint(String region, String serviceKey) {
        serviceKeys.put(region, serviceKey);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + region;
    }

    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String region = path.split("/")[1];
        String rest = path.substring(region.length() + 1);
        if (rest.equals("/q/health/ready")) {
            send(exchange, 200, "{\"status\":\"UP\"}");
            return;
        }
        Matcher erase = ERASE.matcher(rest);
        if (!erase.matches() || !"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 404, "{\"status\":404}");
            return;
        }
        UUID tenantId = UUID.fromString(erase.group(1));
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String token = header == null ? "" : header.replaceFirst("^Bearer ", "");
        String verdict;
        try {
            verdict = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/internal/v1/erasures:verify"))
                    .header("Authorization", "Bearer " + serviceKeys.get(region)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tenantId\":\"" + tenantId + "\",\"token\":\"" + token
                            + "\",\"region\":\"" + region + "\"}")).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        COMMANDS.add(new Command(region, tenantId, verdict));
        if (!verdict.contains("\"valid\":true")) {
            send(exchange, 403, "{\"status\":403}");
            return;
        }
        send(exchange, 200, "{\"tenantId\":\"" + tenantId + "\",\"region\":\"" + region + "\",\"erasedAt\":\"" + Instant.now()
                + "\",\"erased\":{\"knowledge_base\":0,\"document\":0,\"chunk\":0,\"index_directories\":0}}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
