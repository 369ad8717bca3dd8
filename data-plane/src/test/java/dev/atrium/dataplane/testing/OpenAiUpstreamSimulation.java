package dev.atrium.dataplane.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * SIMULATION of an OpenAI-compatible model server (no real LLM can run here): speaks the OpenAI wire format for
 * {@code POST /v1/chat/completions}, non-streaming and as server-sent events, with deterministic answers and
 * scripted failures. Upstream models: {@code sim-chat} (answers), {@code sim-flaky} (503 twice, then answers),
 * {@code sim-down} (always 500), {@code sim-pii} (answers with an e-mail address in the text). It also serves
 * {@code POST /v1/embeddings} with {@code sim-embedding}: 64-dimensional hashed bags of words, so texts sharing
 * words are similar (or 500 while {@link #EMBEDDINGS_DOWN} is set).
 */
public class OpenAiUpstreamSimulation implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Request bodies received, for assertions on what the data plane sent upstream. */
    public static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();
    public static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    /** Every text {@code POST /v1/embeddings} was asked to embed. */
    public static final List<String> EMBEDDED = new CopyOnWriteArrayList<>();
    /** While set, {@code POST /v1/embeddings} answers 500: the upstream embedding model is down (an indexing step fails). */
    public static final java.util.concurrent.atomic.AtomicBoolean EMBEDDINGS_DOWN = new java.util.concurrent.atomic.AtomicBoolean();
    /** The Authorization header of every chat call, as "upstream model: header" (what key a tenant's backend saw). */
    public static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();
    /** Where the tests find the simulation's base URL ({@code http://127.0.0.1:<port>/v1}), to deploy models on it. */
    public static final String URL_PROPERTY = "test.upstream-simulation.url";

    /** Upstream models named here answer 500 until removed: a backend that starts failing mid-test. */
    public static final java.util.Set<String> FAILING = ConcurrentHashMap.newKeySet();

    private HttpServer server;

    /** Another simulation server with the same behaviour, on its own port (a second backend); close it when done. */
    public static final class Standalone implements AutoCloseable {
        private final OpenAiUpstreamSimulation simulation = new OpenAiUpstreamSimulation();
        private final String url;

        public Standalone() {
            url = simulation.start().get(URL_PROPERTY);
        }

        /** Its base URL, {@code http://127.0.0.1:<port>/v1}. */
        public String url() {
            return url;
        }

        @Override
        public void close() {
            simulation.stop();
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // one thread per call: a stalling answer must not hold up the others
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", this::chat);
        server.createContext("/v1/embeddings", this::embeddings);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        return Map.ofEntries(
                Map.entry(URL_PROPERTY, url),
                Map.entry("atrium.models.chat.url", url),
                Map.entry("atrium.models.chat.upstream-model", "sim-chat"),
                Map.entry("atrium.models.chat.api-key", "sk-simulated-upstream"),
                Map.entry("atrium.models.flaky.url", url),
                Map.entry("atrium.models.flaky.upstream-model", "sim-flaky"),
                Map.entry("atrium.models.flaky.retries", "3"),
                Map.entry("atrium.models.flaky.initial-backoff", "10ms"),
                Map.entry("atrium.models.down.url", url),
                Map.entry("atrium.models.down.upstream-model", "sim-down"),
                Map.entry("atrium.models.down.retries", "1"),
                Map.entry("atrium.models.down.initial-backoff", "10ms"),
                Map.entry("atrium.models.down.fallback", "chat"),
                Map.entry("atrium.models.stall.url", url),
                Map.entry("atrium.models.stall.upstream-model", "sim-stall"),
                Map.entry("atrium.models.stall.timeout", "1s"),
                Map.entry("atrium.models.stall.retries", "0"),
                Map.entry("atrium.models.slow.url", url),
                Map.entry("atrium.models.slow.upstream-model", "sim-stall"),
                Map.entry("atrium.models.slow.timeout", "5s"),
                Map.entry("atrium.models.slow.retries", "0"),
                Map.entry("atrium.models.huge.url", url),
                Map.entry("atrium.models.huge.upstream-model", "sim-huge"),
                Map.entry("atrium.models.leaky.url", url),
                Map.entry("atrium.models.leaky.upstream-model", "sim-pii"),
                Map.entry("atrium.models.hashed-embeddings.url", url),
                Map.entry("atrium.models.hashed-embeddings.kind", "embedding"),
                Map.entry("atrium.models.hashed-embeddings.upstream-model", "sim-embedding"),
                Map.entry("atrium.models.private.url", url),
                Map.entry("atrium.models.private.tenants", "00000000-0000-0000-0000-000000000000"));
    }

    private void chat(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        RECEIVED.add(request);
        String model = request.path("model").asText();
        int call = CALLS.computeIfAbsent(model, m -> new AtomicInteger()).incrementAndGet();
        AUTHORIZATIONS.add(model + ": " + exchange.getRequestHeaders().getFirst("Authorization"));
        if (model.equals("sim-down") || FAILING.contains(model) || (model.equals("sim-flaky") && call % 3 != 0)) {
            send(exchange, model.equals("sim-flaky") ? 503 : 500, "application/json",
                    "{\"error\":{\"message\":\"simulated outage\",\"type\":\"server_error\"}}");
            return;
        }
        if (model.equals("sim-chat") && !"Bearer sk-simulated-upstream".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "application/json", "{\"error\":{\"message\":\"bad upstream key\",\"type\":\"invalid_request_error\"}}");
            return;
        }
        if (model.equals("sim-stall")) {
            // a backend gone quiet: the headers and the start of an answer, then nothing (for 30 s)
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (java.io.OutputStream out = exchange.getResponseBody()) {
                out.write("{\"id\":\"stall\",".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(30_000);
            } catch (IOException | InterruptedException closedByTheDataPlane) {
                // expected: the data plane gives up first
            }
            return;
        }
        if (model.equals("sim-huge")) {
            // a backend gone wrong: 17 MiB of one JSON answer, more than a data plane reads
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (java.io.OutputStream out = exchange.getResponseBody()) {
                out.write("{\"id\":\"huge\",\"padding\":\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                byte[] block = new byte[1024 * 1024];
                java.util.Arrays.fill(block, (byte) 'a');
                for (int i = 0; i < 17; i++) {
                    out.write(block);
                }
                out.write("\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException closedByTheDataPlane) {
                // expected: the data plane stops reading at its limit
            }
            return;
        }
        String content = answerFor(model, request);
        long promptTokens = request.path("messages").toString().length() / 4;
        long completionTokens = content.split(" ").length;
        if (request.path("stream").asBoolean(false)) {
            stream(exchange, model, content, promptTokens, completionTokens, request.path("stream_options").path("include_usage").asBoolean(false));
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-sim-" + call);
        body.put("object", "chat.completion");
        body.put("created", 1_700_000_000L);
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.put("finish_reason", "stop");
        body.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        send(exchange, 200, "application/json", JSON.writeValueAsString(body));
    }

    private void embeddings(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        if (EMBEDDINGS_DOWN.get()) {
            send(exchange, 500, "application/json", "{\"error\":{\"message\":\"simulated outage\",\"type\":\"server_error\"}}");
            return;
        }
        JsonNode input = request.path("input");
        List<String> texts = new java.util.ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
        } else {
            input.forEach(item -> texts.add(item.asText()));
        }
        EMBEDDED.addAll(texts);
        ObjectNode body = JSON.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            float[] vector = new float[64];
            for (String word : texts.get(i).toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (word.length() > 2) {
                    vector[Math.floorMod(word.hashCode(), 64)] += 1;
                    tokens++;
                }
            }
            vector[63] += 0.01f;
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            ArrayNode values = item.putArray("embedding");
            for (float v : vector) {
                values.add(v);
            }
        }
        body.put("model", request.path("model").asText());
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        send(exchange, 200, "application/json", JSON.writeValueAsString(body));
    }

    /** Deterministic content: the start of the first grounded document, or an echo of the last user message. */
    private static String answerFor(String model, JsonNode request) {
        ArrayNode messages = (ArrayNode) request.path("messages");
        String last = messages.get(messages.size() - 1).path("content").asText();
        if (model.equals("sim-pii")) {
            return "You can reach the owner at jane.doe@example.com for details.";
        }
        int document = last.indexOf("<document index=\"1\"");
        if (document >= 0) {
            String text = last.substring(last.indexOf('>', document) + 1).strip();
            return "From the documents: " + text.substring(0, Math.min(60, text.length())) + " [1]";
        }
        return "Simulated answer to: " + last;
    }

    private static void stream(HttpExchange exchange, String model, String content, long promptTokens, long completionTokens,
                               boolean includeUsage) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            String[] words = content.split(" ");
            for (int i = 0; i < words.length; i++) {
                ObjectNode chunk = JSON.createObjectNode();
                chunk.put("id", "chatcmpl-sim-stream");
                chunk.put("object", "chat.completion.chunk");
                chunk.put("created", 1_700_000_000L);
                chunk.put("model", model);
                ObjectNode choice = chunk.putArray("choices").addObject();
                choice.put("index", 0);
                ObjectNode delta = choice.putObject("delta");
                if (i == 0) {
                    delta.put("role", "assistant");
                }
                delta.put("content", (i == 0 ? "" : " ") + words[i]);
                if (i == words.length - 1) {
                    choice.put("finish_reason", "stop");
                } else {
                    choice.putNull("finish_reason");
                }
                out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (includeUsage) {
                ObjectNode usage = JSON.createObjectNode();
                usage.put("id", "chatcmpl-sim-stream");
                usage.put("object", "chat.completion.chunk");
                usage.put("created", 1_700_000_000L);
                usage.put("model", model);
                usage.putArray("choices");
                usage.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                        .put("total_tokens", promptTokens + completionTokens);
                out.write(("data: " + JSON.writeValueAsString(usage) + "\n\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
