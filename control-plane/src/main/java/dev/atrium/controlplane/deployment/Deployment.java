package dev.atrium.controlplane.deployment;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A model deployment: the name under which data planes serve one APPROVED registry version of one model, and where
 * from. Only {@code upstream} deployments exist so far: an OpenAI-compatible backend whose API key, if it needs one,
 * is the tenant secret {@code upstream.apiKeySecret} (never the value). {@code fallback} names another deployment of
 * the tenant, tried when this one's backend keeps failing.
 */
public record Deployment(String name, String model, String version, String kind, Upstream upstream, String fallback,
                         Instant createdAt, String createdBy, Instant updatedAt, String updatedBy, @JsonIgnore long etag) {

    public static final String UPSTREAM = "upstream";
    public static final String SELF_HOSTED = "self-hosted";

    /** @param model the name the backend knows the model by (null: the deployment's name) */
    public record Upstream(String url, String model, String apiKeySecret, int timeoutSeconds) {
    }
}
