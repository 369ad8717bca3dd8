package dev.atrium.controlplane.apikey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

import dev.atrium.controlplane.auth.CredentialRefusal;
import dev.atrium.controlplane.auth.FailedAuthentications;
import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.RequestMetadata;
import dev.atrium.controlplane.common.RowMapper;
import dev.atrium.controlplane.common.Rows;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.ServiceBinding;
import dev.atrium.controlplane.tenant.Plan;
import dev.atrium.controlplane.tenant.TenantStatus;
import dev.atrium.tenancy.ApiKeyFormat;
import dev.atrium.tenancy.ApiKeyHasher;
import dev.atrium.tenancy.InvalidApiKeyException;
import dev.atrium.tenancy.Role;
import dev.atrium.tenancy.Scope;

/**
 * Turns a presented API key into a {@link Caller}: format and checksum first (no database work for garbage),
 * then one indexed lookup by HMAC hash. No cache: a revoked key stops working on the very next request.
 * Every refusal is audited.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

    private static final String LOOKUP = """
            SELECT k.id, k.tenant_id, k.scopes, k.expires_at, k.revoked_at, k.last_used_at, k.key_hash,
                   t.status AS tenant_status, t.plan AS tenant_plan, k.kind, k.region, k.all_tenants
            FROM api_key k LEFT JOIN tenant t ON t.id = k.tenant_id
            WHERE k.key_hash = ?""";

    /** A key as {@link #LOOKUP} finds it, with its tenant's status and plan (null for keys without a tenant). */
    private record StoredKey(UUID id, UUID tenantId, String scopes, Instant expiresAt, Instant revokedAt, Instant lastUsedAt,
                             String keyHash, String tenantStatus, String tenantPlan, String kind, String region,
                             boolean allTenants) {
    }

    private static final RowMapper<StoredKey> STORED_KEY = rows -> new StoredKey(rows.getObject("id", UUID.class),
            rows.getObject("tenant_id", UUID.class), rows.getString("scopes"), Rows.instant(rows, "expires_at"),
            Rows.instant(rows, "revoked_at"), Rows.instant(rows, "last_used_at"), rows.getString("key_hash"),
            rows.getString("tenant_status"), rows.getString("tenant_plan"), rows.getString("kind"), rows.getString("region"),
            rows.getBoolean("all_tenants"));

    @Inject
    DataSource dataSource;

    @Inject
    ApiKeyHasher hasher;

    @Inject
    FailedAuthentications failures;

    @Inject
    AtriumConfig config;

    public SecurityIdentity authenticate(String presented, RequestMetadata request) {
        ApiKeyFormat.ParsedApiKey key;
        try {
            key = ApiKeyFormat.parse(presented);
        } catch (InvalidApiKeyException e) {
            throw refuse("apikey:malformed", null, "malformed API key: " + e.getMessage(), request);
        }
        String hash = hasher.hash(key.secret());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement lookup = connection.prepareStatement(LOOKUP)) {
            lookup.setString(1, hash);
            StoredKey stored;
            try (ResultSet rows = lookup.executeQuery()) {
                stored = rows.next() ? STORED_KEY.map(rows) : null;
            }
            if (stored == null || !ApiKeyHasher.constantTimeEquals(hash, stored.keyHash())) {
                throw refuse("apikey-prefix:" + key.displayPrefix(), null, "unknown API key", request);
            }
            return identity(connection, stored, request);
        } catch (SQLException e) {
            throw new IllegalStateException("API-key lookup failed", e);
        }
    }

    private SecurityIdentity identity(Connection connection, StoredKey stored, RequestMetadata request) throws SQLException {
        UUID keyId = stored.id();
        UUID tenantId = stored.tenantId();
        boolean service = ApiKey.KIND_SERVICE.equals(stored.kind());
        String actorId = (service ? "service:" : "apikey:") + keyId;
        Instant now = Instant.now();
        if (stored.revokedAt() != null) {
            throw refuse(actorId, tenantId, "API key revoked", request);
        }
        if (stored.expiresAt() != null && !stored.expiresAt().isAfter(now)) {
            throw refuse(actorId, tenantId, "API key expired", request);
        }
        TenantStatus tenantStatus = tenantId == null ? null : TenantStatus.valueOf(stored.tenantStatus());
        if (tenantStatus == TenantStatus.DELETING || tenantStatus == TenantStatus.DELETED) {
            throw refuse(actorId, tenantId, "the key's tenant has been deleted", request);
        }
        touch(connection, keyId, stored.lastUsedAt(), now);

        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : stored.scopes().split(" ")) {
            Scope.fromValue(name).ifPresent(scopes::add);
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        int rate;
        int burst;
        ServiceBinding binding = null;
        if (service) {
            boolean regionWide = stored.allTenants();
            if (!regionWide && tenantId == null) {
                throw refuse(actorId, null, "service key is bound to no tenant", request);
            }
            if (regionWide && (stored.region() == null || stored.region().isBlank())) {
                throw refuse(actorId, null, "region-wide service key has no region", request);
            }
            binding = new ServiceBinding(stored.region(), regionWide ? null : tenantId, regionWide);
            rate = config.rateLimit().platform().requestsPerSecond();
            burst = config.rateLimit().platform().burst();
        } else if (tenantId == null) {
            roles.add(Role.PLATFORM_ADMIN);
            rate = config.rateLimit().platform().requestsPerSecond();
            burst = config.rateLimit().platform().burst();
        } else {
            // a key never holds reviewer rights: audit:read lets it read the trail, nothing more (AccessPolicy)
            roles.add(Role.TENANT_MEMBER);
            if (scopes.contains(Scope.ADMIN)) {
                roles.add(Role.TENANT_ADMIN);
            }
            Plan.Quotas quotas = Plan.fromValue(stored.tenantPlan()).orElse(Plan.FREE).quotas();
            rate = quotas.requestsPerSecond();
            burst = quotas.burst();
        }
        Set<Role> platformRoles = roles.contains(Role.PLATFORM_ADMIN) ? EnumSet.of(Role.PLATFORM_ADMIN) : EnumSet.noneOf(Role.class);
        Map<UUID, Set<Role>> memberships = tenantId == null || service ? Map.of() : Map.of(tenantId, roles);
        Caller caller = new Caller(actorId, service ? ActorType.SERVICE : ActorType.API_KEY, service ? null : tenantId,
                tenantStatus != TenantStatus.SUSPENDED, platformRoles, memberships, scopes, rate, burst, binding);
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(actorId))
                .addAttribute(Caller.IDENTITY_ATTRIBUTE, caller);
        roles.forEach(role -> identity.addRole(role.value()));
        return identity.build();
    }

    /** Records last use, at most once per granularity window so that reads do not turn into writes. */
    private void touch(Connection connection, UUID keyId, Instant lastUsed, Instant now) throws SQLException {
        if (lastUsed != null && lastUsed.plus(config.apiKeys().lastUsedGranularity()).isAfter(now)) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE api_key SET last_used_at = ? WHERE id = ?")) {
            update.setTimestamp(1, Timestamp.from(now));
            update.setObject(2, keyId);
            update.executeUpdate();
        }
    }

    private AuthenticationFailedException refuse(String actorId, UUID tenantId, String reason, RequestMetadata request) {
        failures.failed(actorId, ActorType.API_KEY, tenantId, reason, request);
        return CredentialRefusal.recorded(reason);
    }
}
