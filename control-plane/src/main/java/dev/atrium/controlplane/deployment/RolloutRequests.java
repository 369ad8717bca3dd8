package dev.atrium.controlplane.deployment;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies of the rollout API. */
public final class RolloutRequests {

    private RolloutRequests() {
    }

    /**
     * Start moving a deployment to {@code version} at {@code upstream} (an upstream deployment's candidate backend; a
     * self-hosted deployment's candidate runs on a second model server of its own and takes none). A {@code canary} takes {@code steps} (default
     * 5, 25, 50, 100 percent, 5 minutes each; the last at 100), an {@code ab} split {@code split} percent sticky by
     * {@code stickyBy}, a {@code shadow} copies {@code split} percent (default 100) of requests to the candidate.
     */
    public record StartRollout(
            @NotBlank(message = "is required") @Size(max = 50) String version,
            @NotBlank(message = "is required") @Pattern(regexp = "canary|ab|shadow", message = "must be canary, ab or shadow") String strategy,
            @Valid DeploymentRequests.UpstreamSettings upstream,
            @Size(min = 1, max = 10, message = "a canary has 1 to 10 steps") List<@Valid @NotNull StepSettings> steps,
            @Min(1) @Max(100) Integer split,
            @Pattern(regexp = "user|key", message = "must be user (the request's 'user' field) or key (the API key)") String stickyBy,
            @Valid SloSettings slo) {
    }

    public record StepSettings(@NotNull(message = "is required") @Min(1) @Max(100) Integer weight,
                               @NotNull(message = "is required") @Min(0) @Max(7 * 24 * 3600) Integer dwellSeconds) {
    }

    /** Unset thresholds take the defaults: 5% errors, no latency bound, no block-rate bound, 20 requests, 60 s. */
    public record SloSettings(@DecimalMin("0.0") @DecimalMax("1.0") Double maxErrorRate,
                              @Min(1) @Max(600_000) Long maxP95LatencyMs,
                              @DecimalMin("0.0") @DecimalMax("1.0") Double maxGuardrailBlockRate,
                              @Min(1) @Max(1_000_000) Integer minRequests,
                              @Min(1) @Max(86_400) Integer windowSeconds) {
    }

    /** Why a person ends a rollout (kept in its decisions and the audit trail). */
    public record EndRollout(@Size(max = 500) String reason) {
    }
}
