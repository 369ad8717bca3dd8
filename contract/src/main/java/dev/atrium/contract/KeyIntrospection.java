package dev.atrium.contract;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The control plane's verdict on a tenant API key or a person's token presented to a data plane (after RFC 7662
 * token introspection): {@code active} and, when active, whose credential it is and what it may do ({@code actorId}
 * is who the audit trail names: {@code apikey:<id>} or {@code user:<id>}) and where the tenant is served
 * ({@code regions}, primary first; empty while it is not placed). Inactive verdicts carry only a reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyIntrospection(boolean active, String reason, UUID keyId, UUID tenantId, String tenantStatus,
                               List<String> scopes, Integer requestsPerSecond, Integer burst, String actorId,
                               List<PlacedRegion> regions) {

    public static KeyIntrospection inactive(String reason) {
        return new KeyIntrospection(false, reason, null, null, null, null, null, null, null, null);
    }
}
