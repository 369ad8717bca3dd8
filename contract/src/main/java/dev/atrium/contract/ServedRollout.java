package dev.atrium.contract;

import java.util.UUID;

/**
 * A rollout running on a deployment: traffic moving from the deployment's stable version to {@code version}, served
 * at its own OpenAI-compatible backend ({@code url}, {@code upstreamModel}, key in {@code apiKeySecret}).
 * {@code strategy} is {@code canary} (a random {@code weight} percent of requests), {@code ab} ({@code weight}
 * percent, sticky per end user or API key: {@code stickyBy} {@code user} or {@code key}) or {@code shadow} (every
 * request copied to the candidate, whose answer is measured and never returned). Data planes tag what they measure
 * with {@code id} and {@code step}.
 */
public record ServedRollout(UUID id, String strategy, int step, String version, String url, String upstreamModel,
                            String apiKeySecret, Integer apiKeySecretVersion, int timeoutSeconds, int weight, String stickyBy) {
}
