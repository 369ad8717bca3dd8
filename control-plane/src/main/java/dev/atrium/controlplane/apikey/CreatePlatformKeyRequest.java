package dev.atrium.controlplane.apikey;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/platform/api-keys}: a platform-admin key with an optional expiry. */
public record CreatePlatformKeyRequest(
        @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
        Instant expiresAt) {
}
