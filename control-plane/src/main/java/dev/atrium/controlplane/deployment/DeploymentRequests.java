package dev.atrium.controlplane.deployment;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies of the deployment API. */
public final class DeploymentRequests {

    private DeploymentRequests() {
    }

    public record CreateDeployment(
            @NotBlank(message = "is required") @Size(max = 64)
            @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "lower-case letters, digits, '.', '_' and '-'") String name,
            @NotBlank(message = "is required") @Size(max = 100) String model,
            @NotBlank(message = "is required") @Size(max = 50) String version,
            @NotBlank(message = "is required") @Pattern(regexp = "upstream|self-hosted", message = "must be upstream or self-hosted")
            String kind,
            @Valid UpstreamSettings upstream,
            @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "must name another deployment") String fallback,
            @Valid SelfHostedSettings selfHosted) {
    }

    /**
     * A self-hosted model server: the GPU pool (by name, in every Kubernetes region the tenant is placed in), GPUs per
     * replica (default 1; a fraction only where the pool shares GPUs), replicas (default 1 to 1; minReplicas 0 scales
     * to zero after idleMinutes, default 15), and per replica CPU (default 4) and memory (default 32Gi).
     */
    public record SelfHostedSettings(
            @NotBlank(message = "is required") @Pattern(regexp = "[a-z][a-z0-9-]{0,39}", message = "must name a GPU pool") String gpuPool,
            @jakarta.validation.constraints.DecimalMin(value = "0.01") @jakarta.validation.constraints.DecimalMax("16")
            @jakarta.validation.constraints.Digits(integer = 2, fraction = 3) java.math.BigDecimal gpus,
            @Min(0) @Max(20) Integer minReplicas,
            @Min(1) @Max(20) Integer maxReplicas,
            @Pattern(regexp = "[0-9]{1,4}(\\.[0-9]{1,3})?|[0-9]{1,6}m", message = "must be a CPU quantity like 4 or 500m") String cpu,
            @Pattern(regexp = "[0-9]{1,6}(Mi|Gi)", message = "must be a memory quantity like 32Gi") String memory,
            @Min(1) @Max(1440) Integer idleMinutes) {
    }

    /**
     * A JSON merge patch: the fields given replace the current ones ({@code upstream} as a whole); {@code fallback} ""
     * removes the fallback.
     */
    public record UpdateDeployment(@Size(max = 50) String version, @Valid UpstreamSettings upstream,
                                   @Size(max = 64) @Pattern(regexp = "|[a-z0-9][a-z0-9._-]*", message = "must name another deployment")
                                   String fallback, @Valid SelfHostedSettings selfHosted) {
    }

    public record UpstreamSettings(
            @NotBlank(message = "is required") @Size(max = 500) String url,
            @Size(max = 200) @Pattern(regexp = "[^\\s]+", message = "must not contain spaces") String model,
            @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must name a secret of the tenant") String apiKeySecret,
            @Min(1) @Max(600) Integer timeoutSeconds) {
    }
}
