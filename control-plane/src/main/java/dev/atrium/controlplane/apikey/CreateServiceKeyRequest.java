package dev.atrium.controlplane.apikey;

import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/service-keys}: a data plane's identity in one region, optionally for one tenant. */
public record CreateServiceKeyRequest(
        @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
        @NotBlank(message = "is required")
        @Pattern(regexp = "[a-z0-9]([-a-z0-9]{0,62}[a-z0-9])?", message = "must be a region name such as local-a or eu-west-1")
        String region,
        UUID tenantId) {
}
