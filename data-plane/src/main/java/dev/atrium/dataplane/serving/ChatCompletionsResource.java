package dev.atrium.dataplane.serving;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.dataplane.auth.TenantPrincipal;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.guardrail.GuardrailDecisions;
import dev.atrium.dataplane.guardrail.Guardrails;
import dev.atrium.dataplane.metering.Usage;
import dev.atrium.dataplane.metering.UsageOutbox;
import dev.atrium.tenancy.Scope;

/**
 * OpenAI's {@code POST /v1/chat/completions}, proxied to the tenant's backend for the requested model (only while the
 * model registry has an APPROVED version of it; {@code model@version} pins one), with prompt-injection screening of every new user, system and tool message, PII screening of (non-streamed) answers, and metering. With
 * {@code stream: true} the backend's server-sent events are relayed as they arrive.
 */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {

    @Inject
    CurrentTenant tenant;

    @Inject
    ModelRouter router;

    @Inject
    UpstreamClient upstream;

    @Inject
    Guardrails guardrails;

    @Inject
    UsageOutbox outbox;

    @Inject
    ModelApprovals approvals;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ObjectNode request) {
        UUID tenantId = tenant.require(Scope.MODELS_INVOKE);
        TenantPrincipal caller = tenant.principal();
        if (request == null) {
            throw ApiException.invalid("body", "a JSON body is required");
        }
        String model = request.path("model").asText("");
        if (model.isBlank()) {
            throw ApiException.invalid("model", "you must provide a model parameter");
        }
        JsonNode messages = request.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "must be a non-empty array");
        }
        ModelApprovals.Requested requested = ModelApprovals.Requested.parse(model);
        ModelRouter.Route route = router.requireChatModel(tenantId, requested.name(), "model");
        approvals.requireApproved(tenantId, requested, "model");
        GuardrailDecisions decisions = new GuardrailDecisions();
        List<Guardrails.ChatMessage> screened = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            screened.add(new Guardrails.ChatMessage(i, messages.get(i).path("role").asText(""), textOf(messages.get(i).path("content"))));
        }
        guardrails.screenMessages(tenantId, screened, decisions);
        if (request.path("stream").asBoolean(false)) {
            return stream(caller, route, request, decisions);
        }
        UpstreamClient.Answer answer = upstream.post(tenantId, route, "/chat/completions", request);
        ObjectNode body = readObject(answer.body());
        if (answer.status() >= 400) {
            return Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(body).build();
        }
        body.put("model", model);
        for (JsonNode choice : body.path("choices")) {
            JsonNode message = choice.path("message");
            if (message.path("content").isTextual()) {
                ((ObjectNode) message).put("content", guardrails.screenPii(tenantId, message.path("content").asText(), decisions, "the answer"));
            }
        }
        JsonNode usage = body.path("usage");
        outbox.record(new Usage(tenantId, caller.keyId(), "chat.completions", model, usage.path("prompt_tokens").asLong(),
                usage.path("completion_tokens").asLong(), 0, 0, decisions.counts()));
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    private Response stream(TenantPrincipal caller, ModelRouter.Route route, ObjectNode request, GuardrailDecisions decisions) {
        boolean clientWantsUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        ObjectNode upstreamRequest = request.deepCopy();
        upstreamRequest.putObject("stream_options").put("include_usage", true);
        UpstreamClient.Answer answer = upstream.post(caller.tenantId(), route, "/chat/completions", upstreamRequest);
        if (answer.status() >= 400) {
            return Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(readObject(answer.body())).build();
        }
        String model = request.path("model").asText();
        StreamingOutput relay = output -> relay(answer.body(), output, clientWantsUsage, model, caller, decisions);
        return Response.ok(relay, "text/event-stream").header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no").build();
    }

    /** Relays SSE events line by line, renaming the model and keeping the usage chunk only if the client asked for it. */
    private void relay(InputStream upstreamBody, OutputStream output, boolean clientWantsUsage, String model,
                       TenantPrincipal caller, GuardrailDecisions decisions) throws IOException {
        long promptTokens = 0;
        long completionTokens = 0;
        long deltas = 0;
        try (BufferedReader events = new BufferedReader(new InputStreamReader(upstreamBody, StandardCharsets.UTF_8))) {
            String line;
            while ((line = events.readLine()) != null) {
                if (line.startsWith("data:") && !line.substring(5).trim().equals("[DONE]")) {
                    ObjectNode chunk = readObject(line.substring(5).trim());
                    JsonNode usage = chunk.path("usage");
                    if (usage.isObject()) {
                        promptTokens = usage.path("prompt_tokens").asLong();
                        completionTokens = usage.path("completion_tokens").asLong();
                        if (!clientWantsUsage && chunk.path("choices").isEmpty()) {
                            continue;
                        }
                        if (!clientWantsUsage) {
                            chunk.remove("usage");
                        }
                    }
                    if (!chunk.path("choices").isEmpty()) {
                        deltas++;
                    }
                    chunk.put("model", model);
                    line = "data: " + json.writeValueAsString(chunk);
                }
                output.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                if (line.isEmpty()) {
                    output.flush();
                }
            }
            output.flush();
        } finally {
            outbox.record(new Usage(caller.tenantId(), caller.keyId(), "chat.completions", model, promptTokens,
                    completionTokens > 0 ? completionTokens : deltas, 0, 0, decisions.counts()));
        }
    }

    /** The text of a message's content: a string, or the text parts of a multi-part content array. */
    static String textOf(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                text.append(part.path("text").asText()).append('\n');
            }
        }
        return text.toString();
    }

    private ObjectNode readObject(InputStream body) {
        try (body) {
            JsonNode node = json.readTree(body);
            return node instanceof ObjectNode object ? object : json.createObjectNode().put("error", "unexpected upstream answer");
        } catch (IOException e) {
            throw new ApiException(dev.atrium.dataplane.common.Problem.UPSTREAM_FAILED, "unreadable answer from the model backend");
        }
    }

    private ObjectNode readObject(String body) {
        try {
            JsonNode node = json.readTree(body);
            return node instanceof ObjectNode object ? object : json.createObjectNode();
        } catch (IOException e) {
            throw new ApiException(dev.atrium.dataplane.common.Problem.UPSTREAM_FAILED, "unreadable event from the model backend");
        }
    }
}
