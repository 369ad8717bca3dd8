package dev.atrium.controlplane.deployment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A model deployment: the name under which data planes serve one APPROVED registry version of one model, and where
 * from. An {@code upstream} deployment is an OpenAI-compatible backend whose API key, if it needs one, is the tenant
 * secret {@code upstream.apiKeySecret} (never the value); a {@code self-hosted} one is a model server Atrium runs on a
 * GPU pool in each of the tenant's dedicated namespaces ({@code selfHosted}), whose state per region is
 * {@code servers}. {@code fallback} names another deployment of the tenant, tried when this one's backend keeps
 * failing.
 */
public record Deployment(String name, String model, String version, String kind, Upstream upstream, String fallback,
                         Instant createdAt, String createdBy, Instant updatedAt, String updatedBy, @JsonIgnore long etag,
                         SelfHosted selfHosted, List<ServerStatus> servers) {

    public static final String UPSTREAM = "upstream";
    public static final String SELF_HOSTED = "self-hosted";

    /** The same deployment with the given (stored) state of its model servers. */
    public Deployment withServers(List<ServerStatus> states) {
        return new Deployment(name, model, version, kind, upstream, fallback, createdAt, createdBy, updatedAt, updatedBy, etag,
                selfHosted, states);
    }

    public boolean hasOwnServer() {
        return SELF_HOSTED.equals(kind);
    }

    /** @param model the name the backend knows the model by (null: the deployment's name) */
    public record Upstream(String url, String model, String apiKeySecret, int timeoutSeconds) {
    }

    /**
     * A model server on GPU pool {@code gpuPool}: {@code gpus} per replica (a fraction where the pool shares GPUs),
     * between {@code minReplicas} and {@code maxReplicas} replicas; with {@code minReplicas} 0 it scales to zero after
     * {@code idleMinutes} without requests and starts again on the next one.
     */
    public record SelfHosted(String gpuPool, BigDecimal gpus, int minReplicas, int maxReplicas, String cpu, String memory,
                             int idleMinutes) {
    }

    /**
     * How one of the deployment's model servers stands in one region, as the reconciler last saw it: {@code server}
     * names its objects; {@code role} is {@code stable} (it serves the deployment's version) or, during a rollout,
     * {@code candidate}; {@code version} is the model version it was last applied with.
     */
    public record ServerStatus(String region, String server, String role, String version, String state, int desiredReplicas,
                               int readyReplicas, String message) {

        public static final String STABLE = "stable";
        public static final String CANDIDATE = "candidate";
    }
}
