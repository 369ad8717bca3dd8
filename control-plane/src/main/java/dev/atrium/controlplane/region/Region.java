package dev.atrium.controlplane.region;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A region where data planes run, as the API shows it. {@code status} comes from probing the endpoint's readiness
 * ({@code UNKNOWN} until the first probe); only {@code schedulable} regions receive new tenants; {@code placedTenants}
 * counts the tenants placed in it, as primary or standby.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Region(String name, String zone, String endpoint, RegionKind kind, KubernetesSettings kubernetes,
                     boolean schedulable, int placedTenants, String status, String statusDetail, Instant probedAt,
                     Instant createdAt, Instant updatedAt, @JsonIgnore long version) {

    public static final String HEALTHY = "HEALTHY";
    public static final String UNHEALTHY = "UNHEALTHY";
    public static final String UNKNOWN = "UNKNOWN";
}
