package dev.atrium.controlplane.apikey;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A stored API key: its HMAC hash and metadata, never the key itself. {@code tenantId} null = platform key. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    public static final String KIND_STANDARD = "standard";
    /** A data plane's identity on the internal API. */
    public static final String KIND_SERVICE = "service";

    @Id
    public UUID id;

    @Column(name = "tenant_id", updatable = false)
    public UUID tenantId;

    @Column(nullable = false)
    public String name;

    @Column(name = "display_prefix", nullable = false, updatable = false)
    public String displayPrefix;

    @Column(name = "key_hash", nullable = false, updatable = false)
    public String keyHash;

    /** Space-separated scope names. */
    @Column(nullable = false)
    public String scopes;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false, updatable = false)
    public String createdBy;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    @Column(nullable = false, updatable = false)
    public String kind = KIND_STANDARD;

    /** For service keys: the region of the data plane that holds the key. */
    @Column(updatable = false)
    public String region;

    /** For service keys configured by the operator at start: acts for every tenant (API-issued keys name one). */
    @Column(name = "all_tenants", nullable = false, updatable = false)
    public boolean allTenants;

    /** The platform-admin key of a fresh installation; expires once a person has signed in as platform admin. */
    @Column(nullable = false, updatable = false)
    public boolean bootstrap;

    public Set<String> scopeSet() {
        return scopes.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(scopes.split(" ")));
    }

    public ApiKeyStatus statusAt(Instant now) {
        if (revokedAt != null) {
            return ApiKeyStatus.REVOKED;
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? ApiKeyStatus.EXPIRED : ApiKeyStatus.ACTIVE;
    }
}
