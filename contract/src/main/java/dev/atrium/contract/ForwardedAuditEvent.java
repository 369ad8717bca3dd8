package dev.atrium.contract;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A tenant mutation done by a data plane (a knowledge base, a document, a guardrail policy), for the tenant's chain.
 * The actor is the tenant's API key, a person ({@code user:<Keycloak subject>}: the console acts with a person's
 * token, which the control plane introspected for the data plane), or the data plane itself.
 */
public record ForwardedAuditEvent(
        @NotNull(message = "id is required") UUID id,
        @NotNull(message = "tenantId is required") UUID tenantId,
        @NotBlank @Pattern(regexp = "(apikey:[0-9a-f-]{36}|user:[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}|system:data-plane)",
                message = "must be apikey:<uuid>, user:<subject> (at most 128 characters) or system:data-plane")
        String actorId,
        @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z][a-z-]*(\\.[a-z][a-z-]*)+", message = "must look like 'document.create'")
        String action,
        @NotBlank @Size(max = 64) String resourceType,
        @NotBlank @Size(max = 200) String resourceId,
        @NotNull(message = "occurredAt is required") Instant occurredAt,
        Map<String, Object> details) {
}
