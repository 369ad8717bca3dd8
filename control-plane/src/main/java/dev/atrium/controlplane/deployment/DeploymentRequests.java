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
            @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9._-]*", message = "must name another deployment") String fallback) {
    }

    /**
     * A JSON merge patch: the fields given replace the current ones ({@code upstream} as a whole); {@code fallback} ""
     * removes the fallback.
     */
    public record UpdateDeployment(@Size(max = 50) String version, @Valid UpstreamSettings upstream,
                                   @Size(max = 64) @Pattern(regexp = "|[a-z0-9][a-z0-9._-]*", message = "must name another deployment")
                                   String fallback) {
    }

    public record UpstreamSettings(
            @NotBlank(message = "is required") @Size(max = 500) String url,
            @Size(max = 200) @Pattern(regexp = "[^\\s]+", message = "must not contain spaces") String model,
            @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must name a secret of the tenant") String apiKeySecret,
            @Min(1) @Max(600) Integer timeoutSeconds) {
    }
}
