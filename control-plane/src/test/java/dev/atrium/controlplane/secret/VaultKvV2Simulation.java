package dev.atrium.controlplane.secret;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A SIMULATION of HashiCorp Vault's HTTP API, for tests only (no Vault server can run on these machines): the
 * documented KV v2 endpoints (write, read by version, soft delete and destroy of versions, metadata delete), AppRole login,
 * token checks and namespaces (X-Vault-Namespace), with Vault's response shapes. It records every request so tests
 * can check what the real client library sent. See docs/runbooks/vault.md for the same checks against
 * `vault server -dev`.
 */
final class VaultKvV2Simulation implements AutoCloseable {

    record Recorded(String method, String path, String token, String namespace) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final String mount;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, List<ObjectNode>> versions = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final String roleId;
    private final String secretId;

    VaultKvV2Simulation(String mount, String rootToken, String roleId, String secretId) throws IOException {
        this.mount = mount;
        this.roleId = roleId;
        this.secretId = secretId;
        tokens.add(rootToken);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Recorded> requests() {
        return requests;
    }

    /** Simulates token expiry or revocation. */
    void revokeAllTokens() {
        tokens.clear();
    }

    /** What is stored for a logical path in a namespace, version by version (for assertions). */
    List<ObjectNode> stored(String namespace, String logicalPath) {
        return versions.getOrDefault(key(namespace, logicalPath), List.of());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath().substring("/v1/".length());
            String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
            String namespace = exchange.getRequestHeaders().getFirst("X-Vault-Namespace");
            requests.add(new Recorded(method, path, token, namespace));
            byte[] body = exchange.getRequestBody().readAllBytes();

            if (path.equals("auth/approle/login") && method.equals("POST")) {
                JsonNode login = JSON.readTree(body);
                if (roleId.equals(login.path("role_id").asText()) && secretId.equals(login.path("secret_id").asText())) {
                    String issued = "hvs." + UUID.randomUUID();
                    tokens.add(issued);
                    ObjectNode auth = envelope(null);
                    auth.putObject("auth").put("client_token", issued).put("lease_duration", 3600).put("renewable", true)
                            .putArray("policies").add("atrium-control-plane");
                    send(exchange, 200, auth);
                } else {
                    send(exchange, 400, errors("invalid role or secret ID"));
                }
                return;
            }
            if (token == null || !tokens.contains(token)) {
                send(exchange, 403, errors("permission denied"));
                return;
            }
            String dataPrefix = mount + "/data/";
            String deletePrefix = mount + "/delete/";
            String destroyPrefix = mount + "/destroy/";
            String metadataPrefix = mount + "/metadata/";
            if (path.startsWith(dataPrefix) && method.equals("POST")) {
                write(exchange, key(namespace, path.substring(dataPrefix.length())), JSON.readTree(body));
            } else if (path.startsWith(dataPrefix) && method.equals("GET")) {
                read(exchange, key(namespace, path.substring(dataPrefix.length())), exchange.getRequestURI().getQuery());
            } else if (path.startsWith(deletePrefix) && method.equals("POST")) {
                List<ObjectNode> stored = versions.getOrDefault(key(namespace, path.substring(deletePrefix.length())), List.of());
                for (JsonNode v : JSON.readTree(body).path("versions")) {
                    if (v.asInt() >= 1 && v.asInt() <= stored.size()) {
                        stored.get(v.asInt() - 1).with("metadata").put("deletion_time", Instant.now().toString());
                    }
                }
                exchange.sendResponseHeaders(204, -1);
            } else if (path.startsWith(destroyPrefix) && (method.equals("POST") || method.equals("PUT"))) {
                List<ObjectNode> stored = versions.getOrDefault(key(namespace, path.substring(destroyPrefix.length())), List.of());
                for (JsonNode v : JSON.readTree(body).path("versions")) {
                    if (v.asInt() >= 1 && v.asInt() <= stored.size()) {
                        stored.get(v.asInt() - 1).putNull("data");
                        stored.get(v.asInt() - 1).with("metadata").put("destroyed", true);
                    }
                }
                exchange.sendResponseHeaders(204, -1);
            } else if (path.startsWith(metadataPrefix) && method.equals("DELETE")) {
                versions.remove(key(namespace, path.substring(metadataPrefix.length())));
                exchange.sendResponseHeaders(204, -1);
            } else {
                send(exchange, 404, errors());
            }
        }
    }

    private void write(HttpExchange exchange, String key, JsonNode request) throws IOException {
        List<ObjectNode> stored = versions.computeIfAbsent(key, k -> new ArrayList<>());
        ObjectNode version = JSON.createObjectNode();
        version.set("data", request.path("data"));
        ObjectNode metadata = version.putObject("metadata");
        metadata.put("created_time", Instant.now().toString()).putNull("custom_metadata");
        metadata.put("deletion_time", "").put("destroyed", false).put("version", stored.size() + 1);
        stored.add(version);
        send(exchange, 200, envelope(metadata.deepCopy()));
    }

    private void read(HttpExchange exchange, String key, String query) throws IOException {
        List<ObjectNode> stored = versions.get(key);
        if (stored == null || stored.isEmpty()) {
            send(exchange, 404, errors());
            return;
        }
        int wanted = stored.size();
        if (query != null && query.startsWith("version=") && !query.equals("version=0")) {
            wanted = Integer.parseInt(query.substring("version=".length()));
        }
        if (wanted < 1 || wanted > stored.size()) {
            send(exchange, 404, errors());
            return;
        }
        ObjectNode version = stored.get(wanted - 1).deepCopy();
        if (!version.path("metadata").path("deletion_time").asText().isEmpty() || version.path("metadata").path("destroyed").asBoolean()) {
            version.putNull("data");
            send(exchange, 404, envelope(version));
            return;
        }
        send(exchange, 200, envelope(version));
    }

    private static ObjectNode envelope(JsonNode data) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("request_id", UUID.randomUUID().toString()).put("lease_id", "").put("renewable", false)
                .put("lease_duration", 0).putNull("wrap_info").putNull("warnings").putNull("auth");
        envelope.set("data", data);
        return envelope;
    }

    private static ObjectNode errors(String... messages) {
        ObjectNode body = JSON.createObjectNode();
        var array = body.putArray("errors");
        for (String message : messages) {
            array.add(message);
        }
        return body;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String key(String namespace, String path) {
        return (namespace == null ? "" : namespace) + "|" + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    Map<String, Integer> versionCounts() {
        Map<String, Integer> counts = new HashMap<>();
        versions.forEach((k, v) -> counts.put(k, v.size()));
        return counts;
    }
}
