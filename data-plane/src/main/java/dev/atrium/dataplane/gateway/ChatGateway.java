package dev.atrium.dataplane.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import dev.atrium.dataplane.auth.TenantPrincipal;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.embedding.EmbeddingModels;
import dev.atrium.dataplane.guardrail.GuardrailDecisions;
import dev.atrium.dataplane.guardrail.Guardrails;
import dev.atrium.dataplane.metering.Usage;
import dev.atrium.dataplane.metering.UsageOutbox;
import dev.atrium.dataplane.upstream.LimitedBody;
import dev.atrium.dataplane.upstream.Route;
import dev.atrium.dataplane.upstream.UpstreamModels;
import dev.atrium.dataplane.upstream.UpstreamUnavailableException;

/**
 * Every model call of the data plane goes through here, in one order: route (the tenant may use the model) -> serving
 * gate (an APPROVED version) -> guardrails on what the caller sent -> upstream, through {@link UpstreamModels}, with
 * the route's fallbacks, each of which must pass the gate too -> PII screen of the model's answer -> usage. Chat
 * completions, RAG answers and upstream embeddings all use it; resources and RAG only shape requests and answers.
 */
@ApplicationScoped
public class ChatGateway {

    private static final Logger LOG = Logger.getLogger(ChatGateway.class);
    private static final int EMBEDDING_BATCH = 256;
    /** The largest non-streamed answer read from a backend (a chat completion or a batch of embeddings). */
    static final long MAX_ANSWER_BYTES = 16L * 1024 * 1024;
    /** The most a streamed completion may send before it is cut off. */
    static final long MAX_STREAM_BYTES = 64L * 1024 * 1024;

    @Inject
    ModelRouter router;

    @Inject
    ModelApprovals approvals;

    @Inject
    Guardrails guardrails;

    @Inject
    UpstreamModels upstream;

    @Inject
    EmbeddingModels inProcess;

    @Inject
    UsageOutbox usage;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @Inject
    dev.atrium.dataplane.common.DataPlaneConfig config;

    @Inject
    RolloutMeter rolloutMeter;

    @Inject
    ShadowTraffic shadows;

    private TenantBulkhead bulkhead;

    @jakarta.annotation.PostConstruct
    void limits() {
        bulkhead = new TenantBulkhead(config.deployments().maxInFlightPerTenant());
    }

    /**
     * A chat completion to run. {@code model} is as the caller named it ({@code name} or {@code name@version}) and is
     * what answers and usage show; {@code untrusted} are the messages the guardrails screen before anything is sent
     * (a RAG answer's prompt was screened piece by piece before, so it passes none); {@code embeddingTokens} are
     * metered with the call (a RAG answer's query embedding).
     */
    public record ChatCall(String operation, String model, String modelParam, ObjectNode request,
                           List<Guardrails.ChatMessage> untrusted, long embeddingTokens) {

        /** The same call, answered (and metered) under another model name. */
        ChatCall servedAs(String served) {
            return new ChatCall(operation, served, modelParam, request, untrusted, embeddingTokens);
        }
    }

    /**
     * A completed (non-streamed) call: the backend's JSON, or its 4xx answer as it is in {@code body};
     * {@code modelVersion} is the registry version that answered when a deployment did (null otherwise).
     */
    public record Completion(int status, ObjectNode body, String modelVersion) {
        public boolean succeeded() {
            return status < 400;
        }
    }

    /** A streamed call: the backend's 4xx answer, or server-sent events to relay. */
    public record Stream(int status, ObjectNode error, EventRelay events, String modelVersion) {
    }

    /** Writes the relayed events to the client; usage is recorded when the stream ends, however it ends. */
    @FunctionalInterface
    public interface EventRelay {
        void writeTo(OutputStream output) throws IOException;
    }

    /** Vectors of an embedding call, and the tokens it is metered in. */
    public record Embedded(List<float[]> vectors, long tokens) {
    }

    public Completion complete(TenantPrincipal caller, ChatCall requested, GuardrailDecisions decisions) {
        Admitted admitted = admit(caller, requested, decisions);
        UpstreamModels.Reply reply;
        ObjectNode body;
        try (TenantBulkhead.Permit permit = bulkhead.enter(caller.tenantId())) {
            copyToShadow(admitted, caller, requested);
            reply = withFallbacks(caller.tenantId(), admitted.route(), "/chat/completions", requested.request());
            body = readObject(reply.body());
        }
        // what answered may be a fallback: the answer and the usage name it
        Route route = reply.route();
        ChatCall call = served(requested, route);
        if (reply.status() >= 400) {
            return new Completion(reply.status(), refusal(route, reply.status(), body), route.version());
        }
        body.put("model", call.model());
        try {
            for (JsonNode choice : body.path("choices")) {
                JsonNode message = choice.path("message");
                if (message.path("content").isTextual()) {
                    ((ObjectNode) message).put("content",
                            guardrails.screenPii(caller.tenantId(), message.path("content").asText(), decisions, "the answer"));
                }
            }
        } catch (ApiException blocked) {
            if (blocked.problem() == Problem.GUARDRAIL_BLOCKED) {
                rolloutMeter.answerBlocked(caller.tenantId(), route);
            }
            throw blocked;
        }
        JsonNode tokens = body.path("usage");
        usage.record(new Usage(caller.tenantId(), caller.keyId(), call.operation(), call.model(), tokens.path("prompt_tokens").asLong(),
                tokens.path("completion_tokens").asLong(), call.embeddingTokens(), 0, decisions.counts()));
        return new Completion(reply.status(), body, route.version());
    }

    /**
     * A streamed completion: events are relayed as they arrive, with the model renamed, so the answer is not screened
     * for PII (the guardrails see the request only). Usage comes from the backend's usage event, which is always asked
     * for and passed on only if the client asked for it.
     */
    public Stream stream(TenantPrincipal caller, ChatCall requested, GuardrailDecisions decisions) {
        Admitted admitted = admit(caller, requested, decisions);
        boolean clientWantsUsage = requested.request().path("stream_options").path("include_usage").asBoolean(false);
        ObjectNode request = requested.request().deepCopy();
        request.putObject("stream_options").put("include_usage", true);
        // the place is held until the stream has been relayed (or failed), not only until its headers arrived
        TenantBulkhead.Permit permit = bulkhead.enter(caller.tenantId());
        UpstreamModels.Reply reply;
        try {
            copyToShadow(admitted, caller, requested);
            reply = withFallbacks(caller.tenantId(), admitted.route(), "/chat/completions", request);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        Route route = reply.route();
        ChatCall call = served(requested, route);
        if (reply.status() >= 400) {
            try (permit) {
                return new Stream(reply.status(), refusal(route, reply.status(), readObject(reply.body())), null, route.version());
            }
        }
        return new Stream(reply.status(), null, output -> {
            try (permit) {
                relay(LimitedBody.of(reply.body(), MAX_STREAM_BYTES), output, clientWantsUsage, caller, call, decisions);
            }
        }, route.version());
    }

    /**
     * Embeddings for {@code POST /v1/embeddings}: the route and the gate (the in-process models are always served),
     * then the vectors, metered as {@code embeddings}.
     */
    public Embedded embeddings(TenantPrincipal caller, String model, List<String> inputs) {
        java.util.Optional<Route> route = requireEmbeddingServable(caller.tenantId(), model, "model");
        Embedded embedded = embed(caller.tenantId(), model, inputs);
        usage.record(new Usage(caller.tenantId(), caller.keyId(), "embeddings", route.filter(Route::isDeployment)
                .map(r -> r.name() + "@" + r.version()).orElse(model), 0, 0, embedded.tokens(), 0, Map.of()));
        return embedded;
    }

    /**
     * The route and the gate of an embedding model named in a request or a knowledge base: in process (always served,
     * no route), a tenant's embedding deployment (its registry model and fixed version must be APPROVED) or a
     * configured backend (an APPROVED version of the model of that name).
     */
    public java.util.Optional<Route> requireEmbeddingServable(UUID tenantId, String model, String param) {
        java.util.Optional<Route> route = router.requireEmbeddingModel(tenantId, model, param);
        if (route.isPresent() && route.get().isDeployment()) {
            approvals.requireApproved(tenantId, new ModelApprovals.Requested(route.get().registryModel(), route.get().version()), param);
        } else {
            approvals.requireServable(tenantId, model, param);
        }
        return route;
    }

    /**
     * Vectors of {@code texts} with a knowledge base's embedding model, in process or from its backend (in batches of
     * {@value #EMBEDDING_BATCH}), and their tokens (as the backend counted them, else as the in-process tokenizer
     * does). RAG meters these itself, with the ingest or query they belong to. An embedding route has no fallback:
     * another model's vectors would not match the index.
     */
    public Embedded embed(UUID tenantId, String model, List<String> texts) {
        if (EmbeddingModels.exists(model)) {
            return new Embedded(inProcess.embedAll(model, texts), texts.stream().mapToLong(inProcess::tokens).sum());
        }
        // checked here too, not only by callers: a resumed ingest job must not reach a model withdrawn meanwhile
        Route route = requireEmbeddingServable(tenantId, model, "embeddingModel").orElseThrow();
        List<float[]> vectors = new ArrayList<>(texts.size());
        long tokens = 0;
        for (int from = 0; from < texts.size(); from += EMBEDDING_BATCH) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + EMBEDDING_BATCH));
            ObjectNode request = json.createObjectNode();
            ArrayNode input = request.putArray("input");
            batch.forEach(input::add);
            request.put("encoding_format", "float");
            UpstreamModels.Reply reply;
            ObjectNode body;
            try (TenantBulkhead.Permit permit = bulkhead.enter(tenantId)) {
                reply = upstream.post(route, "/embeddings", request);
                body = readObject(reply.body());
            } catch (UpstreamUnavailableException e) {
                throw new ApiException(Problem.UPSTREAM_FAILED, "the embedding model backend '" + model + "' failed: " + e.getMessage());
            }
            JsonNode data = body.path("data");
            if (reply.status() >= 400 || !data.isArray() || data.size() != batch.size()) {
                throw new ApiException(Problem.UPSTREAM_FAILED, "the embedding model backend '" + model + "' answered "
                        + reply.status() + " with " + (data.isArray() ? data.size() : 0) + " vectors for " + batch.size() + " texts");
            }
            float[][] ordered = new float[batch.size()][];
            for (JsonNode item : data) {
                int index = item.path("index").asInt(-1);
                if (index < 0 || index >= batch.size() || !item.path("embedding").isArray()) {
                    throw new ApiException(Problem.UPSTREAM_FAILED, "the embedding model backend '" + model + "' answered an unusable vector");
                }
                JsonNode values = item.path("embedding");
                float[] vector = new float[values.size()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = (float) values.get(i).asDouble();
                }
                ordered[index] = vector;
            }
            vectors.addAll(List.of(ordered));
            JsonNode reported = body.path("usage").path("prompt_tokens");
            tokens += reported.canConvertToLong() && reported.asLong() > 0 ? reported.asLong() : batch.stream().mapToLong(inProcess::tokens).sum();
        }
        return new Embedded(vectors, tokens);
    }

    /** The route that answers, and the candidate a copy goes to when a shadow rollout runs. */
    private record Admitted(Route route, Route shadowCandidate) {
    }

    private void copyToShadow(Admitted admitted, TenantPrincipal caller, ChatCall call) {
        if (admitted.shadowCandidate() != null) {
            shadows.copy(caller.tenantId(), caller.keyId(), call.operation(), admitted.shadowCandidate(), call.request());
        }
    }

    /**
     * Route, gate and the guardrails on what the caller sent; refusals are thrown as problems. A deployment serves its
     * stable version and, while a rollout runs, its candidate: which one answers is the rollout's choice unless the
     * request pins one of the two ({@code name@version}); a request pinning another is refused. The gate checks the
     * version chosen; a candidate withdrawn meanwhile is skipped for the stable version.
     */
    private Admitted admit(TenantPrincipal caller, ChatCall call, GuardrailDecisions decisions) {
        UUID tenantId = caller.tenantId();
        ModelApprovals.Requested requested = ModelApprovals.Requested.parse(call.model());
        java.util.Optional<TenantDeployments.Routes> deployed = router.deployment(tenantId, requested.name());
        Route route;
        Route shadow = null;
        if (deployed.isPresent()) {
            TenantDeployments.Routes routes = deployed.get();
            if (requested.version() != null) {
                route = routes.serving(requested.version()).orElseThrow(() -> new ApiException(Problem.MODEL_NOT_AVAILABLE,
                        "deployment '" + routes.stable().name() + "' serves version " + routes.stable().version()
                                + (routes.candidate() == null ? "" : " and, in its rollout, " + routes.candidate().version())
                                + " of " + routes.stable().registryModel() + ", not " + requested.version(), call.modelParam()));
            } else {
                route = RolloutTraffic.answering(routes, sticky(caller, call, routes));
                shadow = RolloutTraffic.shadow(routes).filter(candidate -> approved(tenantId, candidate)).orElse(null);
                if (route.arm() != null && route.arm().candidate() && !approved(tenantId, route)) {
                    route = routes.stable();
                }
            }
            approvals.requireApproved(tenantId, new ModelApprovals.Requested(route.registryModel(), route.version()),
                    call.modelParam());
        } else {
            route = router.requireChatModel(tenantId, requested.name(), call.modelParam());
            approvals.requireApproved(tenantId, requested, call.modelParam());
        }
        if (!call.untrusted().isEmpty()) {
            try {
                guardrails.screenMessages(tenantId, call.untrusted(), decisions);
            } catch (ApiException blocked) {
                if (blocked.problem() == Problem.GUARDRAIL_BLOCKED) {
                    rolloutMeter.blocked(tenantId, route);
                }
                throw blocked;
            }
        }
        return new Admitted(route, shadow);
    }

    /**
     * What an A/B split is sticky by: the request's {@code user} field when the rollout says so and the caller sent
     * one, else the API key (a person: their identity).
     */
    private static String sticky(TenantPrincipal caller, ChatCall call, TenantDeployments.Routes routes) {
        if (routes.rollout() != null && "user".equals(routes.rollout().stickyBy())) {
            String user = call.request().path("user").asText("");
            if (!user.isBlank()) {
                return "user:" + user;
            }
        }
        return caller.keyId() != null ? "key:" + caller.keyId() : "actor:" + caller.actorId();
    }

    private boolean approved(UUID tenantId, Route route) {
        try {
            approvals.requireApproved(tenantId, new ModelApprovals.Requested(route.registryModel(), route.version()), "model");
            return true;
        } catch (ApiException refused) {
            return false;
        }
    }

    /**
     * A backend's 4xx answer as the caller gets it. A deployment's backend is the tenant's provider: its refusal of the
     * key (401, 403) says nothing the caller needs and often quotes part of the key, so it is replaced; any other
     * answer is passed on with the key, should it appear, removed.
     */
    private ObjectNode refusal(Route route, int status, ObjectNode body) {
        if (!route.isDeployment()) {
            return body;
        }
        if (status == 401 || status == 403) {
            ObjectNode replaced = json.createObjectNode();
            replaced.putObject("error").put("message", "the backend of deployment '" + route.name() + "' refused its key ("
                    + status + "); a tenant admin sets a valid one in the deployment's secret").put("type", "upstream_error")
                    .putNull("param").put("code", "upstream_key_refused");
            return replaced;
        }
        java.util.Optional<String> key = route.upstream().apiKey();
        if (key.isEmpty() || key.get().length() < 8) {
            return body;
        }
        try {
            return (ObjectNode) json.readTree(json.writeValueAsString(body).replace(key.get(), "[redacted]"));
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** A deployment's answers and usage name the version that served them: {@code name@version}. */
    private static ChatCall served(ChatCall call, Route route) {
        return route.isDeployment() ? call.servedAs(route.name() + "@" + route.version()) : call;
    }

    /**
     * The route's backend, then its fallbacks in line; a fallback the serving gate refuses for this tenant is skipped
     * (logged, counted in {@code atrium_upstream_fallbacks_skipped_total}) for the next one.
     */
    private UpstreamModels.Reply withFallbacks(UUID tenantId, Route route, String path, ObjectNode request) {
        Route current = route;
        String lastFailure = null;
        Set<String> tried = new HashSet<>();
        while (current != null && tried.add(current.key())) {
            long started = System.nanoTime();
            String failure;
            try {
                UpstreamModels.Reply reply = upstream.post(current, path, request);
                boolean misconfiguredCandidate = current.arm() != null && current.arm().candidate() && refusedByBackend(reply.status());
                rolloutMeter.served(tenantId, current, (System.nanoTime() - started) / 1_000_000, misconfiguredCandidate);
                if (!misconfiguredCandidate) {
                    return reply;
                }
                // a candidate whose backend refuses its key or does not know its model fails; the stable version answers
                closeQuietly(reply.body());
                failure = "the candidate's backend answered " + reply.status();
            } catch (UpstreamUnavailableException unavailable) {
                rolloutMeter.served(tenantId, current, (System.nanoTime() - started) / 1_000_000, true);
                failure = unavailable.getMessage();
            }
            lastFailure = failure;
            Route fallback = router.fallback(tenantId, current);
            while (fallback != null && !tried.contains(fallback.key()) && !servable(tenantId, current, fallback)) {
                lastFailure += "; fallback " + fallback.name() + " skipped (not approved for serving)";
                tried.add(fallback.key());
                fallback = router.fallback(tenantId, fallback);
            }
            if (fallback != null && !tried.contains(fallback.key())) {
                LOG.warnf("model %s failed (%s); falling back to %s", current.name(), lastFailure, fallback.name());
                metrics.counter("atrium.upstream.fallbacks", "model", current.metricName()).increment();
            }
            current = fallback;
        }
        throw new ApiException(Problem.UPSTREAM_FAILED, "the model backend failed: " + lastFailure);
    }

    private static void closeQuietly(InputStream body) {
        try (body) {
            // closed
        } catch (IOException ignored) {
            // the connection goes back or is dropped either way
        }
    }

    /** What a backend answers when it is set up wrong (its key refused, its model unknown), not the caller's request. */
    static boolean refusedByBackend(int status) {
        return status == 401 || status == 403 || status == 404;
    }

    private boolean servable(UUID tenantId, Route failed, Route fallback) {
        try {
            approvals.requireApproved(tenantId, new ModelApprovals.Requested(fallback.registryModel(), fallback.version()), "model");
            return true;
        } catch (ApiException refused) {
            LOG.warnf("model %s failed; its fallback %s is not served to tenant %s: %s", failed.name(), fallback.name(), tenantId,
                    refused.getMessage());
            metrics.counter("atrium.upstream.fallbacks.skipped", "model", fallback.name(), "reason", refused.problem().slug()).increment();
            return false;
        }
    }

    /** Relays SSE events line by line, renaming the model and keeping the usage chunk only if the client asked for it. */
    private void relay(InputStream upstreamBody, OutputStream output, boolean clientWantsUsage, TenantPrincipal caller,
                       ChatCall call, GuardrailDecisions decisions) throws IOException {
        long promptTokens = 0;
        long completionTokens = 0;
        long deltas = 0;
        try (BufferedReader events = new BufferedReader(new InputStreamReader(upstreamBody, StandardCharsets.UTF_8))) {
            String line;
            while ((line = events.readLine()) != null) {
                if (line.startsWith("data:") && !line.substring(5).trim().equals("[DONE]")) {
                    ObjectNode chunk = readObject(line.substring(5).trim());
                    JsonNode tokens = chunk.path("usage");
                    if (tokens.isObject()) {
                        promptTokens = tokens.path("prompt_tokens").asLong();
                        completionTokens = tokens.path("completion_tokens").asLong();
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
                    chunk.put("model", call.model());
                    line = "data: " + json.writeValueAsString(chunk);
                }
                output.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                if (line.isEmpty()) {
                    output.flush();
                }
            }
            output.flush();
        } finally {
            usage.record(new Usage(caller.tenantId(), caller.keyId(), call.operation(), call.model(), promptTokens,
                    completionTokens > 0 ? completionTokens : deltas, call.embeddingTokens(), 0, decisions.counts()));
        }
    }

    private ObjectNode readObject(InputStream body) {
        try (body) {
            JsonNode node = json.readTree(LimitedBody.of(body, MAX_ANSWER_BYTES));
            return node instanceof ObjectNode object ? object : json.createObjectNode().put("error", "unexpected upstream answer");
        } catch (LimitedBody.TooLarge e) {
            throw new ApiException(Problem.UPSTREAM_FAILED, e.getMessage() + "; the answer was discarded");
        } catch (dev.atrium.dataplane.upstream.WatchedBody.TimedOut e) {
            throw new ApiException(Problem.UPSTREAM_FAILED, e.getMessage() + "; the answer was discarded");
        } catch (IOException e) {
            throw new ApiException(Problem.UPSTREAM_FAILED, "unreadable answer from the model backend");
        }
    }

    private ObjectNode readObject(String event) {
        try {
            JsonNode node = json.readTree(event);
            return node instanceof ObjectNode object ? object : json.createObjectNode();
        } catch (IOException e) {
            throw new ApiException(Problem.UPSTREAM_FAILED, "unreadable event from the model backend");
        }
    }
}
