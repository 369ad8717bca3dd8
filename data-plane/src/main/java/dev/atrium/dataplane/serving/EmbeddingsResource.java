package dev.atrium.dataplane.serving;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.embedding.EmbeddingModels;
import dev.atrium.dataplane.gateway.ChatGateway;
import dev.atrium.dataplane.rag.index.IndexedChunk;
import dev.atrium.tenancy.Scope;

/** OpenAI's {@code POST /v1/embeddings}, served in process by the local embedding models. */
@Path("/v1/embeddings")
@Produces(MediaType.APPLICATION_JSON)
public class EmbeddingsResource {

    private static final int MAX_INPUTS = 2048;
    /** About OpenAI's 8,192-token limit per input; longer inputs are refused rather than tokenized in full. */
    static final int MAX_INPUT_CHARS = 32_768;

    @Inject
    CurrentTenant tenant;

    @Inject
    ChatGateway gateway;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> create(ObjectNode request) {
        tenant.require(Scope.MODELS_INVOKE);
        if (request == null) {
            throw ApiException.invalid("body", "a JSON body is required");
        }
        String model = request.path("model").asText("");
        List<String> inputs = inputs(request.path("input"));
        String encoding = request.path("encoding_format").asText("float");
        if (!encoding.equals("float") && !encoding.equals("base64")) {
            throw ApiException.invalid("encoding_format", "must be 'float' or 'base64'");
        }
        if (request.hasNonNull("dimensions") && EmbeddingModels.exists(model) && request.path("dimensions").asInt() != EmbeddingModels.DIMENSIONS) {
            throw ApiException.invalid("dimensions", model + " produces " + EmbeddingModels.DIMENSIONS + " dimensions only");
        }
        ChatGateway.Embedded embedded = gateway.embeddings(tenant.principal(), model, inputs);
        List<float[]> vectors = embedded.vectors();
        long tokens = embedded.tokens();
        List<Map<String, Object>> data = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("object", "embedding");
            item.put("index", i);
            item.put("embedding", encoding.equals("base64") ? Base64.getEncoder().encodeToString(IndexedChunk.toBytes(vectors.get(i))) : vectors.get(i));
            data.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        body.put("model", model);
        body.put("usage", Map.of("prompt_tokens", tokens, "total_tokens", tokens));
        return body;
    }

    private static List<String> inputs(JsonNode input) {
        List<String> inputs = new ArrayList<>();
        if (input.isTextual()) {
            inputs.add(input.asText());
        } else if (input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    throw ApiException.invalid("input", "only strings (or arrays of strings) are accepted, not token arrays");
                }
                inputs.add(item.asText());
            }
        }
        if (inputs.isEmpty() || inputs.size() > MAX_INPUTS || inputs.stream().anyMatch(String::isEmpty)) {
            throw ApiException.invalid("input", "must be a non-empty string or an array of 1 to " + MAX_INPUTS + " non-empty strings");
        }
        if (inputs.stream().anyMatch(text -> text.length() > MAX_INPUT_CHARS)) {
            throw ApiException.invalid("input", "each input must be at most " + MAX_INPUT_CHARS + " characters");
        }
        return inputs;
    }
}
