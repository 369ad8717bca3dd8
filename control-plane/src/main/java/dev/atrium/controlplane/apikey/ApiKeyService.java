package dev.atrium.controlplane.apikey;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.AuthenticationFailedException;

import dev.atrium.contract.KeyIntrospection;
import dev.atrium.controlplane.auth.AccessPolicy;
import dev.atrium.controlplane.auth.ServiceCoverage;
import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.Cursor;
import dev.atrium.controlplane.common.FieldError;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.common.RequestContext;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.identity.MembershipChanged;
import dev.atrium.controlplane.region.PlacementService;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantDeleting;
import dev.atrium.controlplane.tenant.TenantStatus;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;
import dev.atrium.tenancy.ApiKeyFormat;
import dev.atrium.tenancy.ApiKeyHasher;
import dev.atrium.tenancy.Scope;

/** Issues, lists and revokes API keys. The secret exists only in the create response; we keep its HMAC. */
@ApplicationScoped
public class ApiKeyService {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ServiceCoverage coverage;

    @Inject
    jakarta.persistence.EntityManager entityManager;

    @Inject
    PlacementService placements;

    @Inject
    ApiKeyHasher hasher;

    @Inject
    AuditTrail auditTrail;

    @Inject
    CallerContext callerContext;

    @Inject
    ApiKeyAuthenticator authenticator;

    @Inject
    RequestContext requestContext;

    @Inject
    AccessPolicy accessPolicy;

    /**
     * Checks a tenant key for a data plane. Platform and service keys are never valid there, and a service learns
     * nothing about keys of tenants outside its binding (they are reported as unknown).
     */
    public KeyIntrospection introspect(String presented, Caller service) {
        Caller key;
        try {
            key = authenticator.authenticate(presented, requestContext.metadata()).getAttribute(Caller.IDENTITY_ATTRIBUTE);
        } catch (AuthenticationFailedException e) {
            return KeyIntrospection.inactive(e.getMessage());
        }
        if (key.isService() || key.tenantId() == null) {
            return KeyIntrospection.inactive("not a tenant API key");
        }
        if (!coverage.identifies(service.service(), key.tenantId())) {
            return KeyIntrospection.inactive("unknown API key");
        }
        UUID keyId = UUID.fromString(key.actorId().substring(key.actorId().indexOf(':') + 1));
        TenantStatus status = Tenant.<Tenant>findByIdOptional(key.tenantId()).map(t -> t.status).orElse(TenantStatus.DELETED);
        return new KeyIntrospection(true, null, keyId, key.tenantId(), status.name(),
                key.scopes().stream().map(Scope::value).sorted().toList(), key.requestsPerSecond(), key.burst(), key.actorId(),
                placements.servingRegions(key.tenantId()));
    }

    @Transactional
    public ApiKeyView create(UUID tenantId, CreateApiKeyRequest request) {
        Tenant tenant = activeTenant(tenantId);
        List<String> unknown = new ArrayList<>();
        Set<Scope> scopes = Scope.parseAll(request.scopes(), unknown);
        if (!unknown.isEmpty()) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "scopes: unknown scope(s) " + unknown,
                    List.of(new FieldError("scopes", "unknown scope(s) " + unknown + "; known: "
                            + List.of(Scope.values()))));
        }
        Set<Scope> grantable = accessPolicy.grantableScopes(callerContext.require(), tenantId);
        if (!grantable.containsAll(scopes)) {
            Set<Scope> beyond = EnumSet.copyOf(scopes);
            beyond.removeAll(grantable);
            throw new ApiException(ProblemType.FORBIDDEN, "a key's scopes cannot exceed its creator's rights: you may not grant "
                    + beyond.stream().map(Scope::value).sorted().toList());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "expiresAt: must be in the future",
                    List.of(new FieldError("expiresAt", "must be in the future")));
        }
        long active = ApiKey.count("tenantId = ?1 and kind = ?2 and revokedAt is null and (expiresAt is null or expiresAt > ?3)",
                tenantId, ApiKey.KIND_STANDARD, now);
        int max = tenant.planEnum().quotas().maxApiKeys();
        if (active >= max) {
            throw new ApiException(ProblemType.QUOTA_EXCEEDED, "plan '" + tenant.plan + "' allows " + max
                    + " active API keys; revoke one or change plan");
        }
        String secret = ApiKeyFormat.generate(RANDOM);
        ApiKey key = newKey(tenantId, request.name().strip(), secret,
                scopes.stream().map(Scope::value).sorted().collect(Collectors.joining(" ")),
                request.expiresAt() == null ? null : request.expiresAt().truncatedTo(ChronoUnit.MICROS),
                callerContext.require().actorId(), now);
        ApiKeyView view = ApiKeyView.of(key, now);
        auditTrail.record(AuditEntry.success("apikey.create").tenant(tenantId).resource("api-key", key.id).after(view));
        return view.withSecret(secret);
    }

    public Page<ApiKeyView> list(UUID tenantId, Integer limit, String cursor) {
        Tenant.require(tenantId);
        int size = Cursor.limit(limit);
        Cursor after = Cursor.decode(cursor);
        String query = "tenantId = :tenant and kind = :kind";
        Parameters params = Parameters.with("tenant", tenantId).and("kind", ApiKey.KIND_STANDARD);
        if (after != null) {
            query += " and (createdAt > :time or (createdAt = :time and id > :id))";
            params.and("time", after.time()).and("id", after.id());
        }
        List<ApiKey> keys = ApiKey.<ApiKey>find(query, Sort.by("createdAt").and("id"), params).page(0, size).list();
        Instant now = Instant.now();
        String next = keys.size() == size ? new Cursor(keys.getLast().createdAt, keys.getLast().id).encode() : null;
        return new Page<>(keys.stream().map(k -> ApiKeyView.of(k, now)).toList(), next);
    }

    public ApiKeyView get(UUID tenantId, UUID keyId) {
        return ApiKeyView.of(find(tenantId, keyId), Instant.now());
    }

    /** Revokes a key; revoking an already revoked key changes nothing and succeeds. */
    @Transactional
    public void revoke(UUID tenantId, UUID keyId) {
        revoke(find(tenantId, keyId), "apikey.revoke", "api-key");
    }

    /** Revokes every key of a tenant being deleted; returns how many were still unrevoked. */
    @Transactional(Transactional.TxType.MANDATORY)
    /**
     * When a person's role in a tenant changes or they leave it, the tenant's keys they are behind (created by them, or
     * by a key they are behind) may not keep rights the person no longer has: keys with a scope beyond the new role's
     * are revoked (all of them when the person left), in the same transaction, each audited.
     */
    void onMembershipChanged(@Observes MembershipChanged change) {
        Set<Scope> allowed = change.role() == null ? EnumSet.noneOf(Scope.class) : Scope.grantedBy(Set.of(change.role()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (ApiKey key : keysBehind(change.tenantId(), change.actorId())) {
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String name : key.scopes.split(" ")) {
                Scope.fromValue(name).ifPresent(scopes::add);
            }
            if (allowed.containsAll(scopes)) {
                continue;
            }
            ApiKeyView before = ApiKeyView.of(key, now);
            key.revokedAt = now;
            key.revokedBy = "system:creator-rights-changed";
            auditTrail.record(AuditEntry.success("apikey.revoke").tenant(change.tenantId()).resource("api-key", key.id)
                    .actor("system:creator-rights-changed", ActorType.SYSTEM).detail(change.actorId()
                            + (change.role() == null ? " left the tenant" : " is now " + change.role().value()))
                    .before(before).after(ApiKeyView.of(key, now)));
        }
    }

    /** The tenant's active keys that {@code actorId} created, directly or through keys it created (bounded depth). */
    @SuppressWarnings("unchecked")
    private List<ApiKey> keysBehind(UUID tenantId, String actorId) {
        List<UUID> ids = entityManager.createNativeQuery("""
                WITH RECURSIVE made(id, depth) AS (
                    SELECT k.id, 0 FROM api_key k WHERE k.tenant_id = ?1 AND k.created_by = ?2
                    UNION
                    SELECT k.id, m.depth + 1 FROM made m JOIN api_key k ON k.created_by = 'apikey:' || m.id::text
                    WHERE k.tenant_id = ?1 AND m.depth < 32)
                SELECT DISTINCT id FROM made""").setParameter(1, tenantId).setParameter(2, actorId).getResultList();
        return ids.isEmpty() ? List.of() : ApiKey.<ApiKey>list("id in ?1 and revokedAt is null", ids);
    }

    /** A deleted tenant's keys are revoked in the transaction that completes the deletion. */
    void onTenantDeleting(@Observes TenantDeleting deleting) {
        int revoked = ApiKey.update("revokedAt = ?1, revokedBy = ?2 where tenantId = ?3 and revokedAt is null",
                Instant.now().truncatedTo(ChronoUnit.MICROS), "system:tenant-deletion", deleting.tenantId());
        if (revoked > 0) {
            auditTrail.record(AuditEntry.success("apikey.revoke.all").tenant(deleting.tenantId())
                    .resource("tenant", deleting.tenantId()).after(Map.of("revokedKeys", revoked)));
        }
    }

    /**
     * Makes sure a platform-admin key with this secret exists (first start, or ATRIUM_BOOTSTRAP_API_KEY).
     * Returns true when it was created now.
     */
    @Transactional
    public boolean ensurePlatformKey(String secret, String name) {
        String hash = hasher.hash(secret);
        if (ApiKey.count("keyHash", hash) > 0) {
            return false;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ApiKey bootstrap = new ApiKey();
        bootstrap.bootstrap = true;
        ApiKey key = persist(bootstrap, null, name, secret, Scope.ADMIN.value(), null, "system:bootstrap", now);
        auditTrail.record(AuditEntry.success("apikey.bootstrap").resource("api-key", key.id)
                .actor("system:bootstrap", ActorType.SYSTEM).after(ApiKeyView.of(key, now)));
        return true;
    }

    /**
     * Registers a service key the operator configured (a launcher's own data planes); it acts for every tenant.
     * Idempotent; a revoked key stays revoked.
     */
    @Transactional
    public boolean ensureServiceKey(String secret, String region) {
        if (ApiKey.count("keyHash", hasher.hash(secret)) > 0) {
            return false;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ApiKey key = new ApiKey();
        key.kind = ApiKey.KIND_SERVICE;
        key.region = region;
        key.allTenants = true;
        ApiKey saved = persist(key, null, "data plane " + region + " (launcher)", secret, "", null, "system:bootstrap", now);
        auditTrail.record(AuditEntry.success("service-key.bootstrap").resource("service-key", saved.id)
                .actor("system:bootstrap", ActorType.SYSTEM).after(ApiKeyView.of(saved, now)));
        return true;
    }

    public boolean platformKeyExists() {
        return ApiKey.count("tenantId is null and kind = ?1 and revokedAt is null", ApiKey.KIND_STANDARD) > 0;
    }

    /**
     * Issues a data-plane service key for a region, bound to one tenant. Keys for every tenant are not issued through
     * the API: the operator configures them at start.
     */
    @Transactional
    public ApiKeyView createServiceKey(CreateServiceKeyRequest request) {
        if (request.tenantId() == null) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "tenantId: a service key issued through the API is bound to one "
                    + "tenant; keys that serve every tenant are configured by the operator (ATRIUM_API_KEYS_SERVICE_KEYS)",
                    List.of(new FieldError("tenantId", "is required")));
        }
        Tenant tenant = Tenant.require(request.tenantId());
        if (tenant.status == TenantStatus.DELETING || tenant.status == TenantStatus.DELETED) {
            throw new ApiException(ProblemType.INVALID_TRANSITION, "tenant " + tenant.id + " is " + tenant.status);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String secret = ApiKeyFormat.generate(RANDOM);
        ApiKey key = new ApiKey();
        key.kind = ApiKey.KIND_SERVICE;
        key.region = request.region();
        ApiKey saved = persist(key, request.tenantId(), request.name().strip(), secret, "", null,
                callerContext.require().actorId(), now);
        ApiKeyView view = ApiKeyView.of(saved, now);
        auditTrail.record(AuditEntry.success("service-key.create").tenant(request.tenantId())
                .resource("service-key", saved.id).after(view));
        return view.withSecret(secret);
    }

    public List<ApiKeyView> listServiceKeys() {
        Instant now = Instant.now();
        return ApiKey.<ApiKey>list("kind = ?1 order by createdAt, id", ApiKey.KIND_SERVICE).stream()
                .map(k -> ApiKeyView.of(k, now)).toList();
    }

    @Transactional
    public void revokeServiceKey(UUID keyId) {
        ApiKey key = ApiKey.findById(keyId);
        if (key == null || !ApiKey.KIND_SERVICE.equals(key.kind)) {
            throw ApiException.notFound("service key", keyId);
        }
        revoke(key, "service-key.revoke", "service-key");
    }

    /** Issues a platform-admin key (e.g. for automation, replacing the bootstrap key). */
    @Transactional
    public ApiKeyView createPlatformKey(CreatePlatformKeyRequest request) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "expiresAt: must be in the future",
                    List.of(new FieldError("expiresAt", "must be in the future")));
        }
        String secret = ApiKeyFormat.generate(RANDOM);
        ApiKey key = newKey(null, request.name().strip(), secret, Scope.ADMIN.value(),
                request.expiresAt() == null ? null : request.expiresAt().truncatedTo(ChronoUnit.MICROS),
                callerContext.require().actorId(), now);
        ApiKeyView view = ApiKeyView.of(key, now);
        auditTrail.record(AuditEntry.success("apikey.platform.create").resource("api-key", key.id).after(view));
        return view.withSecret(secret);
    }

    /** Platform-admin keys, the bootstrap key included (never their secrets). */
    public List<ApiKeyView> listPlatformKeys() {
        Instant now = Instant.now();
        return ApiKey.<ApiKey>list("tenantId is null and kind = ?1 order by createdAt, id", ApiKey.KIND_STANDARD).stream()
                .map(k -> ApiKeyView.of(k, now)).toList();
    }

    @Transactional
    public void revokePlatformKey(UUID keyId) {
        ApiKey key = ApiKey.findById(keyId);
        if (key == null || key.tenantId != null || !ApiKey.KIND_STANDARD.equals(key.kind)) {
            throw ApiException.notFound("platform API key", keyId);
        }
        revoke(key, "apikey.platform.revoke", "api-key");
    }

    /**
     * Once a person has signed in as platform admin, the bootstrap key is no longer the only way in: it expires
     * {@code expiry} later (unless it already expires sooner). Returns how many keys were given an expiry.
     */
    @Transactional
    public int expireBootstrapKeys(Duration expiry, String platformAdmin) {
        Instant expiresAt = Instant.now().plus(expiry).truncatedTo(ChronoUnit.MICROS);
        List<ApiKey> keys = ApiKey.list("bootstrap = true and revokedAt is null and (expiresAt is null or expiresAt > ?1)", expiresAt);
        for (ApiKey key : keys) {
            ApiKeyView before = ApiKeyView.of(key, Instant.now());
            key.expiresAt = expiresAt;
            key.flush();
            auditTrail.record(AuditEntry.success("apikey.bootstrap.expire").resource("api-key", key.id)
                    .actor("system:atrium", ActorType.SYSTEM).before(before).after(ApiKeyView.of(key, Instant.now()))
                    .detail("a platform admin (" + platformAdmin + ") signed in; the bootstrap key expires at " + expiresAt));
        }
        return keys.size();
    }

    /** Revocation is idempotent: an already revoked key changes nothing (and writes no audit event). */
    private void revoke(ApiKey key, String action, String resourceType) {
        if (key.revokedAt != null) {
            return;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ApiKeyView before = ApiKeyView.of(key, now);
        key.revokedAt = now;
        key.revokedBy = callerContext.require().actorId();
        key.flush();
        auditTrail.record(AuditEntry.success(action).tenant(key.tenantId).resource(resourceType, key.id)
                .before(before).after(ApiKeyView.of(key, now)));
    }

    private ApiKey newKey(UUID tenantId, String name, String secret, String scopes, Instant expiresAt, String createdBy,
                          Instant now) {
        return persist(new ApiKey(), tenantId, name, secret, scopes, expiresAt, createdBy, now);
    }

    private ApiKey persist(ApiKey key, UUID tenantId, String name, String secret, String scopes, Instant expiresAt,
                           String createdBy, Instant now) {
        key.id = UUID.randomUUID();
        key.tenantId = tenantId;
        key.name = name;
        key.displayPrefix = ApiKeyFormat.parse(secret).displayPrefix();
        key.keyHash = hasher.hash(secret);
        key.scopes = scopes;
        key.createdAt = now;
        key.createdBy = createdBy;
        key.expiresAt = expiresAt;
        key.persistAndFlush();
        return key;
    }

    private ApiKey find(UUID tenantId, UUID keyId) {
        Tenant.require(tenantId);
        ApiKey key = ApiKey.findById(keyId);
        // a key of another tenant (or a service key) is reported exactly like a missing one
        if (key == null || !tenantId.equals(key.tenantId) || !ApiKey.KIND_STANDARD.equals(key.kind)) {
            throw ApiException.notFound("API key", keyId);
        }
        return key;
    }

    private Tenant activeTenant(UUID tenantId) {
        Tenant tenant = Tenant.require(tenantId);
        if (tenant.status != TenantStatus.ACTIVE) {
            throw new ApiException(ProblemType.INVALID_TRANSITION,
                    "tenant " + tenantId + " is " + tenant.status + "; keys can only be issued for ACTIVE tenants");
        }
        return tenant;
    }

    /**
     * Issues a data-plane service key bound to one tenant and region for the platform's own use (a dedicated
     * namespace's data plane) and returns its secret once; the caller stores it in the secret store. Audited as
     * {@code service-key.create} by {@code actor}, without the secret. Runs in its own transaction.
     */
    public String issueInfrastructureServiceKey(UUID tenantId, String region, String name, String actor) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            Tenant tenant = Tenant.require(tenantId);
            if (tenant.status == TenantStatus.DELETING || tenant.status == TenantStatus.DELETED) {
                throw new ApiException(ProblemType.INVALID_TRANSITION, "tenant " + tenant.id + " is " + tenant.status);
            }
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String secret = ApiKeyFormat.generate(RANDOM);
            ApiKey key = new ApiKey();
            key.kind = ApiKey.KIND_SERVICE;
            key.region = region;
            ApiKey saved = persist(key, tenantId, name, secret, "", null, actor, now);
            ApiKeyView view = ApiKeyView.of(saved, now);
            auditTrail.record(AuditEntry.success("service-key.create").tenant(tenantId).resource("service-key", saved.id)
                    .actor(actor, ActorType.SYSTEM).after(view));
            return secret;
        });
    }

    /**
     * Revokes the keys {@link #issueInfrastructureServiceKey} issued for a tenant's namespace in a region once that
     * namespace is gone, each audited as {@code service-key.revoke} by {@code actor}. Runs in its own transaction.
     */
    public int revokeInfrastructureServiceKeys(UUID tenantId, String region, String name, String actor) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            List<ApiKey> keys = ApiKey.list("tenantId = ?1 and kind = ?2 and region = ?3 and name = ?4 and revokedAt is null",
                    tenantId, ApiKey.KIND_SERVICE, region, name);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            for (ApiKey key : keys) {
                ApiKeyView before = ApiKeyView.of(key, now);
                key.revokedAt = now;
                key.revokedBy = actor;
                key.flush();
                auditTrail.record(AuditEntry.success("service-key.revoke").tenant(tenantId).resource("service-key", key.id)
                        .actor(actor, ActorType.SYSTEM).before(before).after(ApiKeyView.of(key, now)));
            }
            return keys.size();
        });
    }
}
