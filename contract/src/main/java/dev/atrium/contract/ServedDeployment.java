package dev.atrium.contract;

/**
 * A model deployment a data plane serves to a tenant under {@code name}: the APPROVED registry {@code version} of
 * {@code model} (of {@code type} {@code llm} or {@code embedding}), at an OpenAI-compatible {@code url} as
 * {@code upstreamModel}. {@code apiKeySecret} names the tenant secret holding the backend's key (null for none) and
 * {@code apiKeySecretVersion} its current version: a data plane holding an older value reads the secret again.
 * {@code fallback} names another of the tenant's deployments to try when this one's backend keeps failing (or null);
 * {@code rollout} is the rollout running on the deployment (or null). A {@code platform} deployment is served to every
 * tenant (one of the tenant's own shadows it by name); its key is a platform secret read at
 * {@link InternalApi#PLATFORM_DEPLOYMENT_KEY}.
 */
public record ServedDeployment(String name, String model, String type, String version, String kind, String url,
                               String upstreamModel, String apiKeySecret, Integer apiKeySecretVersion, int timeoutSeconds,
                               String fallback, ServedRollout rollout, boolean platform) {
}
