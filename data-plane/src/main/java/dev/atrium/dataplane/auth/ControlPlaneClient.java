package dev.atrium.dataplane.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.serving.ModelApprovals;
import dev.atrium.tenancy.Scope;

/** The control plane's internal API, called with this data plane's service key. */
@ApplicationScoped
public class ControlPlaneClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    DataPlaneConfig config;

    @Inject
    ObjectMapper json;

    /**
     * Thrown when the control plane gives no usable answer. {@link #isDown()} tells apart the two cases that callers
     * must treat differently: the control plane is down (no connection, a server error), or it is up but will not
     * answer now (429 with {@code Retry-After}, an answer that did not come in time, any other refusal).
     */
    public static class UnreachableException extends Exception {
        private final boolean down;
        private final Duration retryAfter;

        public UnreachableException(String message, Throwable cause) {
            this(message, cause, true, null);
        }

        public UnreachableException(String message, Throwable cause, boolean down, Duration retryAfter) {
            super(message, cause);
            this.down = down;
            this.retryAfter = retryAfter;
        }

        /** No connection, or a server error: the outage during which cached verdicts may serve up to max-staleness. */
        public boolean isDown() {
            return down;
        }

        /** When the control plane said to come back ({@code Retry-After}), if it said so. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /**
     * The control plane answered with a 4xx: it is up, and refuses this request (429: not now, see
     * {@code Retry-After}). Outbox shipping tells a refusal of the events from a refusal of the data plane by its
     * {@link #status()}.
     */
    public static final class RefusedException extends UnreachableException {
        private final int status;
        private final String reason;

        public RefusedException(String message, int status, Duration retryAfter) {
            this(message, status, retryAfter, message);
        }

        public RefusedException(String message, int status, Duration retryAfter, String reason) {
            super(message, null, false, retryAfter);
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        /** Why, in the control plane's words (its problem's {@code detail}). */
        public String reason() {
            return reason;
        }
    }

    public KeyVerdict introspect(String apiKey) throws UnreachableException {
        return verdictOf(post("/internal/v1/api-keys:introspect", Map.of("key", apiKey)), "API key not valid");
    }

    /** A person's Keycloak access token, for one tenant: the scopes of their role there. */
    public KeyVerdict introspectToken(String accessToken, String tenantId) throws UnreachableException {
        return verdictOf(post("/internal/v1/tokens:introspect", Map.of("token", accessToken, "tenantId", tenantId)),
                "access token not valid for this tenant");
    }

    /** The introspection answer as a verdict; a tenant status the answer leaves out counts as not ACTIVE. */
    static KeyVerdict verdictOf(JsonNode body, String defaultReason) {
        if (!body.path("active").asBoolean(false)) {
            return KeyVerdict.refused(body.path("reason").asText(defaultReason));
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        body.path("scopes").forEach(scope -> Scope.fromValue(scope.asText()).ifPresent(scopes::add));
        UUID keyId = body.hasNonNull("keyId") ? UUID.fromString(body.path("keyId").asText()) : null;
        String actorId = body.hasNonNull("actorId") ? body.path("actorId").asText() : keyId == null ? null : "apikey:" + keyId;
        return KeyVerdict.valid(new TenantPrincipal(UUID.fromString(body.path("tenantId").asText()), keyId, actorId,
                body.path("tenantStatus").asText("UNKNOWN"), scopes,
                body.path("requestsPerSecond").asInt(0), body.path("burst").asInt(0)));
    }

    /** The APPROVED model versions a tenant may be served (its own and platform-wide ones). */
    public List<ModelApprovals.Approved> servableModels(UUID tenantId) throws UnreachableException {
        JsonNode body = send(HttpRequest.newBuilder(URI.create(config.controlPlane().url() + "/internal/v1/tenants/" + tenantId + "/servable-models")).GET());
        List<ModelApprovals.Approved> approved = new ArrayList<>();
        body.forEach(entry -> approved.add(new ModelApprovals.Approved(entry.path("model").asText(),
                entry.path("version").asText())));
        return approved;
    }

    /** Ships outbox events (usage or audit) to an internal endpoint; returns how many it had not seen before. */
    public int ship(String endpoint, List<JsonNode> events) throws UnreachableException {
        return post(endpoint, Map.of("events", events)).path("accepted").asInt();
    }

    /** Reports parked outbox events ({@code eventId, stream, tenantId, status, reason, parkedAt}, at most 100). */
    public void reportDeadLetters(List<Map<String, Object>> deadLetters) throws UnreachableException {
        post("/internal/v1/dead-letters", Map.of("deadLetters", deadLetters));
    }

    /** The {@code detail} of a problem+json answer, or the answer itself. */
    private String detailOf(byte[] body, String fallback) {
        try {
            JsonNode problem = json.readTree(body);
            return problem != null && problem.hasNonNull("detail") ? problem.path("detail").asText() : fallback;
        } catch (IOException e) {
            return fallback;
        }
    }

    private JsonNode post(String path, Object body) throws UnreachableException {
        try {
            return send(HttpRequest.newBuilder(URI.create(config.controlPlane().url() + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(HttpRequest.Builder builder) throws UnreachableException {
        String serviceKey = config.controlPlane().serviceKey()
                .orElseThrow(() -> new UnreachableException("atrium.control-plane.service-key is not configured", null));
        try {
            HttpRequest request = builder.timeout(config.controlPlane().timeout())
                    .header("Authorization", "Bearer " + serviceKey).build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status != 200) {
                String message = "control plane answered " + status + " on " + request.uri().getPath()
                        + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
                Duration retryAfter = response.headers().firstValueAsLong("Retry-After").stream()
                        .mapToObj(Duration::ofSeconds).findFirst().orElse(null);
                if (status >= 400 && status < 500) {
                    throw new RefusedException(message, status, retryAfter, detailOf(response.body(), message));
                }
                throw new UnreachableException(message, null, true, retryAfter);
            }
            return json.readTree(response.body());
        } catch (HttpConnectTimeoutException e) {
            throw new UnreachableException("control plane unreachable: connection timed out", e);
        } catch (HttpTimeoutException e) {
            throw new UnreachableException("control plane did not answer within " + config.controlPlane().timeout(), e, false, null);
        } catch (IOException e) {
            throw new UnreachableException("control plane unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted", e);
        }
    }
}
