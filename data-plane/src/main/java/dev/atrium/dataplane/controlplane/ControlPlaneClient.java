package dev.atrium.dataplane.controlplane;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.atrium.contract.BatchReceipt;
import dev.atrium.contract.DeadLetterReport;
import dev.atrium.contract.ErasureVerification;
import dev.atrium.contract.ErasureVerificationRequest;
import dev.atrium.contract.InternalApi;
import dev.atrium.contract.KeyIntrospection;
import dev.atrium.contract.KeyIntrospectionRequest;
import dev.atrium.contract.RolloutReport;
import dev.atrium.contract.RolloutStates;
import dev.atrium.contract.SecretValue;
import dev.atrium.contract.ServableModel;
import dev.atrium.contract.ServedDeployment;
import dev.atrium.contract.TokenIntrospectionRequest;
import dev.atrium.dataplane.common.DataPlaneConfig;

/**
 * The control plane's internal API ({@link InternalApi}), called with this data plane's service key; requests and
 * answers are the records of the shared contract module.
 */
@ApplicationScoped
public class ControlPlaneClient {

    private static final TypeReference<List<ServableModel>> SERVABLE_MODELS = new TypeReference<>() { };
    private static final TypeReference<List<ServedDeployment>> DEPLOYMENTS = new TypeReference<>() { };

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private DataPlaneConfig config;
    private ObjectMapper json;

    /** For CDI's proxy and test doubles. */
    protected ControlPlaneClient() {
    }

    @Inject
    public ControlPlaneClient(DataPlaneConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

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

    public KeyIntrospection introspect(String apiKey) throws UnreachableException {
        return post(InternalApi.API_KEY_INTROSPECTION, new KeyIntrospectionRequest(apiKey), KeyIntrospection.class);
    }

    /** A person's Keycloak access token, for one tenant: the scopes of their role there. */
    public KeyIntrospection introspectToken(String accessToken, String tenantId) throws UnreachableException {
        return post(InternalApi.TOKEN_INTROSPECTION, new TokenIntrospectionRequest(accessToken, tenantId), KeyIntrospection.class);
    }

    /** The APPROVED model versions a tenant may be served (its own and platform-wide ones). */
    public List<ServableModel> servableModels(UUID tenantId) throws UnreachableException {
        return read(send(HttpRequest.newBuilder(URI.create(config.controlPlane().url() + InternalApi.servableModels(tenantId))).GET()),
                SERVABLE_MODELS);
    }

    /** The tenant's model deployments (where each is served from, and the version of its backend key's secret). */
    public List<ServedDeployment> deployments(UUID tenantId) throws UnreachableException {
        return read(send(HttpRequest.newBuilder(URI.create(config.controlPlane().url() + InternalApi.deployments(tenantId))).GET()),
                DEPLOYMENTS);
    }

    /**
     * A tenant secret's current value (a model backend's key the tenant brought): the control plane audits the read
     * with this data plane's identity and region. The value is kept in memory only, by the caller.
     */
    /** What this data plane measured of the tenant's rollouts; the answer names the rollouts running now. */
    public RolloutStates reportRollouts(UUID tenantId, RolloutReport report) throws UnreachableException {
        return post(InternalApi.rolloutReports(tenantId), report, RolloutStates.class);
    }

    /** A request for the self-hosted deployment arrived here (starts its model server when it is scaled to zero). */
    public void demand(UUID tenantId, String deployment) throws UnreachableException {
        send(HttpRequest.newBuilder(URI.create(config.controlPlane().url() + InternalApi.deploymentDemand(tenantId, deployment)))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The key of a platform-wide deployment's backend (a platform secret; the control plane audits the read). */
    public SecretValue platformDeploymentKey(String deployment) throws UnreachableException {
        return read(send(HttpRequest.newBuilder(URI.create(config.controlPlane().url() + InternalApi.platformDeploymentKey(deployment)))
                .GET()), SecretValue.class);
    }

    /** Tells the control plane which models this (region-wide) data plane is configured with. */
    public void reportConfiguredModels(dev.atrium.contract.ConfiguredModelReport report) throws UnreachableException {
        try {
            send(HttpRequest.newBuilder(URI.create(config.controlPlane().url() + InternalApi.CONFIGURED_MODELS))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(report))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public SecretValue secret(UUID tenantId, String name) throws UnreachableException {
        return read(send(HttpRequest.newBuilder(URI.create(config.controlPlane().url() + InternalApi.secret(tenantId, name))).GET()),
                SecretValue.class);
    }

    /**
     * Ships outbox events to {@link InternalApi#USAGE} or {@link InternalApi#AUDIT_EVENTS}. Each event is the JSON of a
     * {@link dev.atrium.contract.UsageEvent} or {@link dev.atrium.contract.ForwardedAuditEvent} as its outbox wrote it.
     */
    public BatchReceipt ship(String endpoint, List<JsonNode> events) throws UnreachableException {
        return post(endpoint, Map.of("events", events), BatchReceipt.class);
    }

    /** Whether an erasure command for {@code tenantId} carrying {@code token} is this control plane's own. */
    public ErasureVerification verifyErasure(UUID tenantId, String token, String region) throws UnreachableException {
        return post(InternalApi.ERASURE_VERIFICATION, new ErasureVerificationRequest(tenantId, token, region), ErasureVerification.class);
    }

    /** Reports parked outbox events (at most 100 per report). */
    public BatchReceipt reportDeadLetters(DeadLetterReport report) throws UnreachableException {
        return post(InternalApi.DEAD_LETTERS, report, BatchReceipt.class);
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

    private <T> T post(String path, Object body, Class<T> answer) throws UnreachableException {
        try {
            return read(send(HttpRequest.newBuilder(URI.create(config.controlPlane().url() + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))), answer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An answer that does not read as its contract record is the control plane misbehaving: treated as an outage. */
    private <T> T read(byte[] body, Class<T> type) throws UnreachableException {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new UnreachableException("control plane answered something that is not a " + type.getSimpleName(), e);
        }
    }

    private <T> T read(byte[] body, TypeReference<T> type) throws UnreachableException {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new UnreachableException("control plane answered something that is not " + type.getType(), e);
        }
    }

    private byte[] send(HttpRequest.Builder builder) throws UnreachableException {
        String serviceKey = config.controlPlane().serviceKey()
                .orElseThrow(() -> new UnreachableException("atrium.control-plane.service-key is not configured", null));
        try {
            HttpRequest request = builder.timeout(config.controlPlane().timeout())
                    .header("Authorization", "Bearer " + serviceKey).build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status != 200 && status != 204) {
                String message = "control plane answered " + status + " on " + request.uri().getPath()
                        + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
                Duration retryAfter = response.headers().firstValueAsLong("Retry-After").stream()
                        .mapToObj(Duration::ofSeconds).findFirst().orElse(null);
                if (status >= 400 && status < 500) {
                    throw new RefusedException(message, status, retryAfter, detailOf(response.body(), message));
                }
                throw new UnreachableException(message, null, true, retryAfter);
            }
            return response.body();
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
