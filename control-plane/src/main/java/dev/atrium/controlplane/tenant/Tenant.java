package dev.atrium.controlplane.tenant;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A customer organisation. The row is kept after deletion (status DELETED) so the audit trail can refer to it. */
@Entity
@Table(name = "tenant")
public class Tenant extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, updatable = false)
    public String slug;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(nullable = false)
    public String plan;

    @Column(nullable = false, updatable = false)
    public String residency;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TenantStatus status;

    /** Drives the ETag; bumped by Hibernate on every update. */
    @Version
    public long version;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The tenant, or the API's 404 when there is none. */
    public static Tenant require(UUID id) {
        Tenant tenant = findById(id);
        if (tenant == null) {
            throw dev.atrium.controlplane.common.ApiException.notFound("tenant", id);
        }
        return tenant;
    }

    public Plan planEnum() {
        return Plan.fromValue(plan).orElseThrow();
    }
}
