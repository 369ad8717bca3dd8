package dev.atrium.contract;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A person's Keycloak access token (exchanged for the data plane's audience) and the tenant the person acts for.
 * {@code tenantId} is a string so that a malformed one is answered like an unknown tenant.
 */
public record TokenIntrospectionRequest(
        @NotBlank(message = "token is required") @Size(max = 16384) String token,
        @NotBlank(message = "tenantId is required") String tenantId) {

    @Override
    public String toString() {
        return "TokenIntrospectionRequest[token redacted, tenant " + tenantId + "]";
    }
}
