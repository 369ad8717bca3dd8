package dev.atrium.controlplane.secret;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

import dev.atrium.controlplane.common.ApiException;
import dev.atrium.controlplane.common.AtriumConfig;
import dev.atrium.controlplane.common.ProblemType;
import dev.atrium.controlplane.identity.ActorType;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.controlplane.identity.CallerContext;
import dev.atrium.controlplane.identity.TenantScope;
import dev.atrium.controlplane.tenant.Tenant;
import dev.atrium.controlplane.tenant.TenantDeleting;
import dev.atrium.controlplane.tenant.TenantStatus;
import dev.atrium.controlplane.trail.AuditEntry;
import dev.atrium.controlplane.trail.AuditTrail;

/**
 * Tenant and platform secrets. Values are write-only through the public API: they go to the {@link SecretStore}
 * and come back only to the internal API (data planes) and to the platform itself (API-key pepper, signing keys).
 * Every change and every read of a value is audited, without the value.
 */
@ApplicationScoped
public class SecretService {

    private static final Logger LOG = Logger.getLogger(SecretService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Names of tenant secrets the platform keeps for the tenant's dedicated data plane; tenants cannot change them. */
    public static final String INFRASTRUCTURE_PREFIX = "dedicated.";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    SecretStore store;

    @Inject
    OrphanedVersions orphans;

    @Inject
    AuditTrail auditTrail;

    @Inject
    CallerContext callerContext;

    @Inject
    AtriumConfig config;

    /** Result of a write: the metadata, and whether the secret was created (versus a new version). */
    public record Written(SecretView secret, boolean created) {
    }

    void onStart(@Observes StartupEvent event) {
        if (store instanceof LocalEncryptedSecretStore local) {
            int rewrapped = QuarkusTransaction.requiringNew().call(() -> local.rewrapAll(local.ring()));
            if (rewrapped > 0) {
                LOG.infof("re-wrapped %d data keys under master key %s", rewrapped, local.ring().currentId());
            }
            // completes a rotation that stopped between its commit and the retirement of the old keys
            retireOldMasterKeys(local);
        }
    }

    @Transactional
    public Written put(UUID tenantId, String name, String value) {
        requireWritableTenant(tenantId);
        validateName(name);
        requireTenantManaged(name);
        validateValue(value);
        return write(tenantId, name, value, false, "secret.put");
    }

    /** Stores a freshly generated random value (256 bits, base64url) as the next version. */
    @Transactional
    public Written rotate(UUID tenantId, String name) {
        requireWritableTenant(tenantId);
        validateName(name);
        requireTenantManaged(name);
        Secret existing = Secret.findById(new Secret.Key(SecretLocation.scopeOf(tenantId), name));
        if (existing != null && existing.deletedAt == null && !existing.generated) {
            throw new ApiException(ProblemType.CONFLICT, "secret '" + name
                    + "' holds a value that was set by hand; set a new value with PUT instead of rotating it");
        }
        return write(tenantId, name, generateValue(), true, "secret.rotate");
    }

    public List<SecretView> list(UUID tenantId) {
        Tenant.require(tenantId);
        return Secret.<Secret>list("scope = ?1 and deletedAt is null order by name", SecretLocation.scopeOf(tenantId))
                .stream().map(SecretView::of).toList();
    }

    public SecretView get(UUID tenantId, String name) {
        Tenant.require(tenantId);
        return SecretView.of(live(tenantId, name, false));
    }

    /** Soft delete (values kept by the backend, no longer readable), or with {@code destroy} removal of every version. */
    @Transactional
    public void delete(UUID tenantId, String name, boolean destroy) {
        Tenant.require(tenantId);
        requireTenantManaged(name);
        Secret secret = live(tenantId, name, true);
        SecretView before = SecretView.of(secret);
        SecretLocation location = SecretLocation.of(tenantId, name);
        if (destroy) {
            store.destroy(location);
            secret.delete();
        } else {
            store.softDelete(location, secret.currentVersion);
            secret.deletedAt = now();
            secret.updatedAt = secret.deletedAt;
            secret.updatedBy = actor();
        }
        auditTrail.record(AuditEntry.success(destroy ? "secret.destroy" : "secret.delete").tenant(tenantId)
                .resource("secret", name).before(before));
    }

    /** The current value, for the internal API; the read is audited with the reading service and its region. */
    @Transactional
    public Map.Entry<SecretView, String> readForService(UUID tenantId, String name, Caller service) {
        Tenant.require(tenantId);
        if (name.startsWith(INFRASTRUCTURE_PREFIX)) {
            // the dedicated data plane gets these as a Kubernetes Secret; no data plane reads them through the API
            throw ApiException.notFound("secret", name);
        }
        Secret secret = live(tenantId, name, false);
        String value = store.read(SecretLocation.of(tenantId, name), secret.currentVersion);
        auditTrail.record(AuditEntry.success("secret.read").tenant(tenantId).resource("secret", name)
                .actor(service).after(Map.of("version", secret.currentVersion, "region", String.valueOf(service.region()))));
        return Map.entry(SecretView.of(secret), value);
    }

    /**
     * A platform secret (API-key pepper, signing keys), created with a random value on first use. Runs in its own
     * transaction so it can be called while the application starts.
     */
    public String platformSecret(String name) {
        return TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() -> {
            SecretLocation location = new SecretLocation(SecretLocation.PLATFORM_SCOPE, name);
            Secret secret = Secret.findById(new Secret.Key(location.scope(), name), LockModeType.PESSIMISTIC_WRITE);
            if (secret == null) {
                write(null, name, generateValue(), true, "secret.platform.create");
                secret = Secret.findById(new Secret.Key(location.scope(), name));
            }
            return store.read(location, secret.currentVersion);
        }));
    }

    /** Stores a platform secret the platform generated itself (e.g. a signing key); runs in its own transaction. */
    public void putPlatformSecret(String name, String value) {
        TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() -> write(null, name, value, true,
                "secret.platform.create")));
    }

    /** Reads a platform secret that must exist. */
    public String readPlatformSecret(String name) {
        return TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() -> {
            Secret secret = Secret.findById(new Secret.Key(SecretLocation.PLATFORM_SCOPE, name));
            if (secret == null || secret.deletedAt != null) {
                throw new SecretStoreException("platform secret " + name + " does not exist");
            }
            return store.read(new SecretLocation(SecretLocation.PLATFORM_SCOPE, name), secret.currentVersion);
        }));
    }

    /**
     * Sets a platform secret through the API (a Kubernetes region's credentials). Names follow a region's
     * {@code credentialsSecret}; the ones the platform generated for itself cannot be overwritten. Audited in the
     * platform chain, without the value.
     */
    @Transactional
    public Written putPlatform(String name, String value) {
        validatePlatformName(name);
        validateValue(value);
        requireOperatorManaged(name);
        return TenantScope.asPlatform(() -> write(null, name, value, false, "secret.platform.put"));
    }

    /** Every live platform secret's metadata, never a value. */
    public List<SecretView> listPlatform() {
        return TenantScope.asPlatform(() -> Secret.<Secret>list("scope = ?1 and deletedAt is null order by name",
                SecretLocation.PLATFORM_SCOPE).stream().map(SecretView::of).toList());
    }

    /** Soft-deletes a platform secret set through the API; one the platform generated cannot be deleted (409). */
    @Transactional
    public void deletePlatform(String name) {
        validatePlatformName(name);
        TenantScope.asPlatform(() -> {
            Secret secret = Secret.findById(new Secret.Key(SecretLocation.PLATFORM_SCOPE, name), LockModeType.PESSIMISTIC_WRITE);
            if (secret == null || secret.deletedAt != null) {
                throw ApiException.notFound("platform secret", name);
            }
            if (secret.generated) {
                throw new ApiException(ProblemType.CONFLICT, "platform secret '" + name + "' is generated and used by the platform itself");
            }
            SecretView before = SecretView.of(secret);
            store.softDelete(new SecretLocation(SecretLocation.PLATFORM_SCOPE, name), secret.currentVersion);
            secret.deletedAt = now();
            secret.updatedAt = secret.deletedAt;
            secret.updatedBy = actor();
            auditTrail.record(AuditEntry.success("secret.platform.delete").resource("secret", name).before(before));
            return null;
        });
    }

    /**
     * An operator-stored platform secret for a data plane (a platform deployment's key, whose caller checked it may be
     * sent): the current value, the read audited in the platform chain with the service and its region.
     */
    @Transactional
    public Map.Entry<SecretView, String> readPlatformForService(String name, Caller service) {
        return TenantScope.asPlatform(() -> {
            Secret secret = Secret.findById(new Secret.Key(SecretLocation.PLATFORM_SCOPE, name));
            if (secret == null || secret.deletedAt != null || secret.generated) {
                throw ApiException.notFound("secret", name);
            }
            String value = store.read(new SecretLocation(SecretLocation.PLATFORM_SCOPE, name), secret.currentVersion);
            auditTrail.record(AuditEntry.success("secret.platform.read").resource("secret", name).actor(service)
                    .after(Map.of("version", secret.currentVersion, "region", String.valueOf(service.region()))));
            return Map.entry(SecretView.of(secret), value);
        });
    }

    /**
     * The current value of a platform secret an operator stored (region credentials), or empty when there is none. A
     * secret the platform generated for itself (the API-key pepper, audit signing keys) is never handed out this way,
     * so naming one as a region's credentials cannot send it to another server. No audit event: a platform-internal
     * read.
     */
    public java.util.Optional<String> findOperatorSecret(String name) {
        return TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() -> {
            Secret secret = Secret.findById(new Secret.Key(SecretLocation.PLATFORM_SCOPE, name));
            if (secret == null || secret.deletedAt != null || secret.generated) {
                return java.util.Optional.<String>empty();
            }
            return java.util.Optional.of(store.read(new SecretLocation(SecretLocation.PLATFORM_SCOPE, name), secret.currentVersion));
        }));
    }

    /**
     * A tenant secret the platform keeps for the tenant's own infrastructure (a dedicated data plane's service key,
     * its database password): the current value, or, when there is none, {@code generate}'s value stored as version 1
     * (audited in the tenant's chain without the value). Runs in its own transaction.
     */
    public String tenantInfrastructureSecret(UUID tenantId, String name, java.util.function.Supplier<String> generate) {
        return TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() -> {
            SecretLocation location = SecretLocation.of(tenantId, name);
            Secret secret = Secret.findById(new Secret.Key(location.scope(), name), LockModeType.PESSIMISTIC_WRITE);
            if (secret == null || secret.deletedAt != null) {
                String value = generate.get();
                write(tenantId, name, value, true, "secret.infrastructure.create");
                return value;
            }
            return store.read(location, secret.currentVersion);
        }));
    }

    private static void requireTenantManaged(String name) {
        if (name != null && name.startsWith(INFRASTRUCTURE_PREFIX)) {
            throw new ApiException(ProblemType.CONFLICT, "secret '" + name + "' is kept by the platform for the tenant's "
                    + "dedicated data plane; names starting with '" + INFRASTRUCTURE_PREFIX + "' cannot be set, rotated or deleted");
        }
    }

    private void requireOperatorManaged(String name) {
        Secret existing = Secret.findById(new Secret.Key(SecretLocation.PLATFORM_SCOPE, name));
        if (existing != null && existing.deletedAt == null && existing.generated) {
            throw new ApiException(ProblemType.CONFLICT, "platform secret '" + name + "' is generated and used by the platform itself");
        }
    }

    private static final Pattern PLATFORM_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private void validatePlatformName(String name) {
        if (name == null || !PLATFORM_NAME.matcher(name).matches() || name.contains("..")) {
            throw ApiException.invalid("name", "must be 1 to 100 letters, digits, '.', '_' or '-' (and not contain '..')");
        }
    }

    /**
     * Destroys the secrets kept for a tenant's dedicated data plane in one region (its namespace is gone), every
     * version, each audited as {@code secret.destroy} by {@code actor}. Runs in its own transaction.
     */
    public int destroyInfrastructureSecrets(UUID tenantId, String region, String actor) {
        return TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(() -> {
            List<Secret> kept = Secret.list("scope = ?1 and name like ?2", SecretLocation.scopeOf(tenantId),
                    INFRASTRUCTURE_PREFIX + region + ".%");
            for (Secret secret : kept) {
                SecretView before = SecretView.of(secret);
                store.destroy(SecretLocation.of(tenantId, secret.name));
                secret.delete();
                auditTrail.record(AuditEntry.success("secret.destroy").tenant(tenantId).resource("secret", secret.name)
                        .actor(actor, ActorType.SYSTEM).before(before));
            }
            return kept.size();
        }));
    }

    /** Called when a tenant is deleted: every value of the tenant becomes unrecoverable. */
    @Transactional(Transactional.TxType.MANDATORY)
    /** A deleted tenant's secrets are destroyed in the backend and their rows removed with the deletion. */
    void onTenantDeleting(@Observes TenantDeleting deleting) {
        destroyTenant(deleting.tenantId());
    }

    int destroyTenant(UUID tenantId) {
        List<Secret> secrets = Secret.list("scope", SecretLocation.scopeOf(tenantId));
        store.destroyScope(SecretLocation.scopeOf(tenantId), secrets.stream().map(s -> s.name).toList());
        Secret.delete("scope", SecretLocation.scopeOf(tenantId));
        auditTrail.record(AuditEntry.success("secret.shred").tenant(tenantId).resource("tenant", tenantId)
                .after(Map.of("destroyedSecrets", secrets.size(), "backend", store.backend())));
        return secrets.size();
    }

    /**
     * Re-wraps every data key under a new master key in one transaction with its audit event; only after that
     * transaction committed are the old master keys retired, and only if every data key opens with the new one.
     * A failed commit or a crash before that leaves the old keys in the key file, so nothing becomes unreadable.
     */
    public synchronized SecretStore.MasterKeyRotation rotateMasterKey() {
        SecretStore.MasterKeyRotation rotation;
        try {
            rotation = QuarkusTransaction.requiringNew().call(() -> {
                SecretStore.MasterKeyRotation rewrapped = store.rotateMasterKey();
                auditTrail.record(AuditEntry.success("secret.master-key.rotate").resource("master-key", rewrapped.masterKeyId())
                        .after(Map.of("masterKeyId", rewrapped.masterKeyId(), "rewrappedDataKeys", rewrapped.rewrappedDataKeys())));
                return rewrapped;
            });
        } catch (UnsupportedOperationException | IllegalStateException e) {
            throw new ApiException(ProblemType.CONFLICT, e.getMessage());
        }
        return store instanceof LocalEncryptedSecretStore local
                ? rotation.withPreviousKeysRetired(retireOldMasterKeys(local)) : rotation;
    }

    private boolean retireOldMasterKeys(LocalEncryptedSecretStore local) {
        boolean retired = TenantScope.asPlatform(() -> QuarkusTransaction.requiringNew().call(local::retireOldMasterKeys));
        if (!retired) {
            LOG.warnf("old master keys kept: not every data key opens with master key %s yet; the next start re-wraps and retires them",
                    local.ring().currentId());
        }
        return retired;
    }

    private Written write(UUID tenantId, String name, String value, boolean generated, String action) {
        SecretLocation location = SecretLocation.of(tenantId, name);
        Secret secret = Secret.findById(new Secret.Key(location.scope(), name), LockModeType.PESSIMISTIC_WRITE);
        boolean created = secret == null || secret.deletedAt != null;
        SecretView before = secret == null || secret.deletedAt != null ? null : SecretView.of(secret);
        int version = store.write(location, value);
        orphans.discardUnlessCommitted(store, location, version);
        Instant now = now();
        if (secret == null) {
            secret = new Secret();
            secret.scope = location.scope();
            secret.name = name;
            secret.tenantId = tenantId;
            secret.createdAt = now;
            secret.createdBy = actor();
        }
        secret.currentVersion = version;
        secret.generated = generated;
        secret.updatedAt = now;
        secret.updatedBy = actor();
        secret.deletedAt = null;
        secret.persistAndFlush();
        SecretView view = SecretView.of(secret);
        auditTrail.record(AuditEntry.success(action).tenant(tenantId).resource("secret", name).before(before).after(view));
        return new Written(view, created);
    }

    private Secret live(UUID tenantId, String name, boolean lock) {
        validateName(name);
        Secret.Key key = new Secret.Key(SecretLocation.scopeOf(tenantId), name);
        Secret secret = lock ? Secret.findById(key, LockModeType.PESSIMISTIC_WRITE) : Secret.findById(key);
        if (secret == null || secret.deletedAt != null) {
            throw ApiException.notFound("secret", name);
        }
        return secret;
    }

    private void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw ApiException.invalid("name", "must not be empty");
        }
        if (name.contains("/") || name.contains("..")) {
            throw ApiException.invalid("name", "must not contain '/' or '..'");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "must be 1 to 128 characters of letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit");
        }
    }

    private void validateValue(String value) {
        if (value == null) {
            throw ApiException.invalid("value", "is required");
        }
        if (value.isEmpty()) {
            throw ApiException.invalid("value", "must not be empty");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.secrets().maxValueBytes()) {
            throw ApiException.invalid("value", "must be at most " + config.secrets().maxValueBytes() + " bytes (was " + bytes + ")");
        }
    }

    private void requireWritableTenant(UUID tenantId) {
        Tenant tenant = Tenant.require(tenantId);
        if (tenant.status == TenantStatus.DELETING || tenant.status == TenantStatus.DELETED) {
            throw new ApiException(ProblemType.INVALID_TRANSITION, "tenant " + tenantId + " is " + tenant.status);
        }
    }

    private String actor() {
        if (!Arc.container().requestContext().isActive()) {
            return "system:atrium";
        }
        return callerContext.current().map(Caller::actorId).orElse("system:atrium");
    }

    private static String generateValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
