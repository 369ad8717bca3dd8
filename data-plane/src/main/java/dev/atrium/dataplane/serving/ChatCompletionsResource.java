package dev.atrium.dataplane.serving;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.atrium.dataplane.auth.CurrentTenant;
import dev.atrium.dataplane.auth.TenantPrincipal;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.gateway.ChatGateway;
import dev.atrium.dataplane.guardrail.GuardrailDecisions;
import dev.atrium.dataplane.guardrail.Guardrails;
import dev.atrium.tenancy.Scope;

/**
 * OpenAI's {@code POST /v1/chat/completions}: checks the request's shape and hands it to the {@link ChatGateway} (the
 * tenant's backend for the requested model, only while the model registry has an APPROVED version of it;
 * {@code model@version} pins one; every new user, system and tool message screened; non-streamed answers screened for
 * PII; metered). With {@code stream: true} the backend's server-sent events are relayed as they arrive.
 */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {

    /** The registry version that answered, when a deployment did (a null header is not sent). */
    static final String MODEL_VERSION_HEADER = "X-Atrium-Model-Version";

    @Inject
    CurrentTenant tenant;

    @Inject
    ChatGateway gateway;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ObjectNode request) {
        tenant.require(Scope.MODELS_INVOKE);
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
        List<Guardrails.ChatMessage> untrusted = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            untrusted.add(new Guardrails.ChatMessage(i, messages.get(i).path("role").asText(""), textOf(messages.get(i).path("content"))));
        }
        ChatGateway.ChatCall call = new ChatGateway.ChatCall("chat.completions", model, "model", request, untrusted, 0);
        GuardrailDecisions decisions = new GuardrailDecisions();
        if (request.path("stream").asBoolean(false)) {
            ChatGateway.Stream stream = gateway.stream(caller, call, decisions);
            if (stream.error() != null) {
                return Response.status(stream.status()).type(MediaType.APPLICATION_JSON).entity(stream.error()).build();
            }
            StreamingOutput relay = stream.events()::writeTo;
            return Response.ok(relay, "text/event-stream").header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no")
                    .header(MODEL_VERSION_HEADER, stream.modelVersion()).build();
        }
        ChatGateway.Completion completion = gateway.complete(caller, call, decisions);
        return Response.status(completion.status()).type(MediaType.APPLICATION_JSON).entity(completion.body())
                .header(MODEL_VERSION_HEADER, completion.modelVersion()).build();
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
}
