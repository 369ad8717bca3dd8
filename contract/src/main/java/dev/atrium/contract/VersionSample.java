package dev.atrium.contract;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What one data plane measured of one version of a deployment during a rollout's step since its last report: calls,
 * failed calls (the backend failed or answered 5xx), calls a guardrail blocked, and their latency histogram
 * ({@link LatencyBuckets}).
 */
public record VersionSample(
        @NotBlank(message = "deployment is required") @Size(max = 64) String deployment,
        @NotNull(message = "rolloutId is required") UUID rolloutId,
        @Min(0) int step,
        @NotBlank(message = "version is required") @Size(max = 50) String version,
        @NotBlank @Pattern(regexp = "stable|candidate", message = "role must be stable or candidate") String role,
        @Min(0) long requests, @Min(0) long errors, @Min(0) long guardrailBlocks,
        @NotNull(message = "latencyMs is required") @Size(min = 26, max = 26, message = "latencyMs has one count per latency bucket (26)")
        List<@NotNull @Min(0) Long> latencyMs) {
}
