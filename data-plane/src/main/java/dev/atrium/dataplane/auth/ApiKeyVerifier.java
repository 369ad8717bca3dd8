package dev.atrium.dataplane.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.tenancy.ApiKeyFormat;
import dev.atrium.tenancy.ApiKeyHasher;
import dev.atrium.tenancy.InvalidApiKeyException;

/**
 * Verifies tenant API keys through the control plane, with a cache of verdicts (valid and refused). A verdict is
 * trusted for its TTL, so a revoked key stops working within {@code atrium.key-cache.ttl}. When the control plane
 * cannot be reached, verdicts up to {@code max-staleness} old keep serving; keys never seen before are refused.
 * The cache is keyed by a SHA-256 of the key, never the key itself.
 */
@ApplicationScoped
public class ApiKeyVerifier {

    private static final Logger LOG = Logger.getLogger(ApiKeyVerifier.class);

    private record Cached(KeyVerdict verdict, Instant fetchedAt) {
    }

    private final Cache<String, Cached> cache;
    private final ControlPlaneClient controlPlane;
    private final DataPlaneConfig.KeyCache settings;
    private final Clock clock;
    private final MeterRegistry metrics;

    @Inject
    public ApiKeyVerifier(ControlPlaneClient controlPlane, DataPlaneConfig config, MeterRegistry metrics) {
        this(controlPlane, config.keyCache(), Clock.systemUTC(), metrics);
    }

    ApiKeyVerifier(ControlPlaneClient controlPlane, DataPlaneConfig.KeyCache settings, Clock clock, MeterRegistry metrics) {
        this.controlPlane = controlPlane;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.cache = Caffeine.newBuilder().maximumSize(settings.maxEntries())
                .expireAfterWrite(settings.maxStaleness()).build();
    }

    /** The caller behind a key, or an {@link ApiException} saying why not. */
    public TenantPrincipal verify(String presented) {
        try {
            ApiKeyFormat.parse(presented);
        } catch (InvalidApiKeyException e) {
            throw new ApiException(Problem.UNAUTHENTICATED, "malformed API key: " + e.getMessage());
        }
        return verified(ApiKeyHasher.fingerprint(presented), () -> controlPlane.introspect(presented));
    }

    /**
     * A person of the tenant, by their Keycloak access token (the web console calls for its signed-in user), cached
     * like key verdicts under a SHA-256 of token and tenant.
     */
    public TenantPrincipal verifyPerson(String accessToken, String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new ApiException(Problem.UNAUTHENTICATED, "a person's access token needs the tenant in the X-Atrium-Tenant header");
        }
        return verified(ApiKeyHasher.fingerprint(tenantId + " " + accessToken), () -> controlPlane.introspectToken(accessToken, tenantId));
    }

    private interface Introspection {
        KeyVerdict call() throws ControlPlaneClient.UnreachableException;
    }

    private TenantPrincipal verified(String cacheKey, Introspection introspection) {
        Instant now = clock.instant();
        Cached cached = cache.getIfPresent(cacheKey);
        if (cached != null && age(cached, now).compareTo(cached.verdict().isValid() ? settings.ttl() : settings.negativeTtl()) < 0) {
            metrics.counter("atrium.apikey.verifications", "source", "cache").increment();
            return principalOf(cached.verdict());
        }
        try {
            KeyVerdict verdict = introspection.call();
            cache.put(cacheKey, new Cached(verdict, now));
            metrics.counter("atrium.apikey.verifications", "source", "control-plane").increment();
            return principalOf(verdict);
        } catch (ControlPlaneClient.UnreachableException e) {
            if (cached != null && age(cached, now).compareTo(settings.maxStaleness()) < 0) {
                LOG.debugf("control plane unreachable (%s); using a verdict %s old", e.getMessage(), age(cached, now));
                metrics.counter("atrium.apikey.verifications", "source", "stale-cache").increment();
                return principalOf(cached.verdict());
            }
            LOG.warnf("cannot verify an API key: %s", e.getMessage());
            throw new ApiException(Problem.CONTROL_PLANE_UNAVAILABLE,
                    "the API key cannot be verified right now (control plane unreachable); retry shortly");
        }
    }

    private static Duration age(Cached cached, Instant now) {
        return Duration.between(cached.fetchedAt(), now);
    }

    private static TenantPrincipal principalOf(KeyVerdict verdict) {
        if (!verdict.isValid()) {
            throw new ApiException(Problem.UNAUTHENTICATED, "API key refused: " + verdict.reason());
        }
        return verdict.principal();
    }
}
