package dev.atrium.controlplane.tenant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/tenants}; plan and residency fall back to the configured defaults. */
public record CreateTenantRequest(
        @NotNull(message = "is required") String slug,
        @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String displayName,
        String plan,
        String residency) {
}
