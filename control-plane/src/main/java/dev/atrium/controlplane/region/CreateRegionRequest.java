package dev.atrium.controlplane.region;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/platform/regions}; {@code kubernetes} is required for, and only for, that kind.
 * {@code schedulable} (may new tenants be placed here) defaults to true for a static region and to false for a
 * kubernetes one (an operator opens it once its credentials secret is stored and a first tenant is Ready there).
 */
public record CreateRegionRequest(
        @NotBlank(message = "is required") @Pattern(regexp = "[a-z][a-z0-9-]{1,39}", message = "must be 2 to 40 lowercase letters, digits or '-', starting with a letter")
        String name,
        @NotBlank(message = "is required") @Size(max = 32) String zone,
        @NotBlank(message = "is required") @Size(max = 500) String endpoint,
        @NotNull(message = "is required") RegionKind kind,
        @Valid KubernetesSettings kubernetes,
        Boolean schedulable) {
}
