package dev.atrium.controlplane.apikey;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/tenants/{tenantId}/api-keys}. */
public record CreateApiKeyRequest(
        @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
        @NotEmpty(message = "must name at least one scope") List<String> scopes,
        Instant expiresAt) {
}
