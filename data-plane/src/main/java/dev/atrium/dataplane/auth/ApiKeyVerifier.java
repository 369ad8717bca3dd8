package dev.atrium.dataplane.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import dev.atrium.contract.PlacedRegion;
import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;
import dev.atrium.tenancy.ApiKeyFormat;
import dev.atrium.tenancy.ApiKeyHasher;
import dev.atrium.tenancy.InvalidApiKeyException;

/**
 * Verifies tenant API keys through the control plane, with a cache of verdicts (valid and refused). A verdict is
 * trusted for its TTL, so a revoked key stops working within {@code atrium.key-cache.ttl}. Past the TTL the control
 * plane is asked again, once for all concurrent requests with the same key; what happens when it gives no answer
 * depends on why:
 * <ul>
 * <li>it is down (no connection, a 5xx): a valid verdict up to {@code max-staleness} old keeps serving, so
 * applications ride out a control-plane outage; a key with no verdict gets 503;</li>
 * <li>it is up but does not answer (429, an answer that timed out, another refusal): no valid verdict is used past
 * its TTL, or a revocation could be delayed by throttling the control plane; the request gets 503 with
 * {@code Retry-After}, and after a 429 the control plane is not asked again before its {@code Retry-After}.</li>
 * </ul>
 * A refusal is always served from the cache when the control plane gives no answer. Only keys and people of ACTIVE
 * tenants are let through. The cache is keyed by a SHA-256 of the key, never the key itself.
 */
@ApplicationScoped
public class ApiKeyVerifier {

    private static final Logger LOG = Logger.getLogger(ApiKeyVerifier.class);
    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);
    /** A JSON Web Token's shape (three base64url parts); anything else is refused without asking the control plane. */
    private static final java.util.regex.Pattern JWT = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final int MAX_TOKEN_LENGTH = 16_384;

    private record Cached(KeyVerdict verdict, Instant fetchedAt) {
    }

    /** Valid verdicts; refusals have a cache of their own, so a flood of junk credentials cannot push these out. */
    private final Cache<String, Cached> cache;
    private final Cache<String, Cached> refusals;
    private final ConcurrentHashMap<String, CompletableFuture<KeyVerdict>> inFlight = new ConcurrentHashMap<>();
    private final ControlPlaneClient controlPlane;
    private final DataPlaneConfig.KeyCache settings;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final String region;
    private final UUID dedicatedTenant;
    private volatile Instant throttledUntil = Instant.MIN;

    @Inject
    public ApiKeyVerifier(ControlPlaneClient controlPlane, DataPlaneConfig config, MeterRegistry metrics) {
        this(controlPlane, config.keyCache(), Clock.systemUTC(), metrics, config.region(),
                config.dedicatedTenant().orElse(null));
    }

    /** {@code region}: this data plane's region, which must serve the tenant; null checks no placement. */
    ApiKeyVerifier(ControlPlaneClient controlPlane, DataPlaneConfig.KeyCache settings, Clock clock, MeterRegistry metrics,
                   String region) {
        this(controlPlane, settings, clock, metrics, region, null);
    }

    /**
     * {@code dedicatedTenant}: the one tenant this data plane is provisioned for; null for a region's shared data plane,
     * which serves only tenants pooled in its region.
     */
    ApiKeyVerifier(ControlPlaneClient controlPlane, DataPlaneConfig.KeyCache settings, Clock clock, MeterRegistry metrics,
                   String region, UUID dedicatedTenant) {
        this.controlPlane = controlPlane;
        this.region = region;
        this.dedicatedTenant = dedicatedTenant;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.cache = Caffeine.newBuilder().maximumSize(settings.maxEntries())
                .expireAfterWrite(settings.maxStaleness()).build();
        this.refusals = Caffeine.newBuilder().maximumSize(Math.min(10_000, settings.maxEntries()))
                .expireAfterWrite(settings.maxStaleness()).build();
    }

    /** Forgets every cached verdict about an erased tenant's keys and people; returns how many. */
    public int forgetTenant(UUID tenantId) {
        int before = (int) cache.estimatedSize();
        cache.asMap().values().removeIf(cached -> cached.verdict().isValid() && tenantId.equals(cached.verdict().principal().tenantId()));
        return Math.max(0, before - (int) cache.estimatedSize());
    }

    /**
     * Whether this credential has a valid verdict in the cache (however old, within max-staleness): a source over its
     * budget of failed verifications may still use credentials that are known good.
     */
    public boolean knownValid(String bearer, String tenantHeader) {
        String cacheKey = bearer.startsWith(ApiKeyFormat.PREFIX) ? ApiKeyHasher.fingerprint(bearer)
                : ApiKeyHasher.fingerprint(tenantHeader + " " + bearer);
        return cache.getIfPresent(cacheKey) != null;
    }

    /** The caller behind a key, or an {@link ApiException} saying why not. */
    public TenantPrincipal verify(String presented) {
        try {
            ApiKeyFormat.parse(presented);
        } catch (InvalidApiKeyException e) {
            throw new ApiException(Problem.UNAUTHENTICATED, "malformed API key: " + e.getMessage());
        }
        return verified(ApiKeyHasher.fingerprint(presented), () -> KeyVerdict.of(controlPlane.introspect(presented), "API key not valid"));
    }

    /**
     * A person of the tenant, by their Keycloak access token (the web console calls for its signed-in user), cached
     * like key verdicts under a SHA-256 of token and tenant.
     */
    public TenantPrincipal verifyPerson(String accessToken, String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw new ApiException(Problem.UNAUTHENTICATED, "a person's access token needs the tenant in the X-Atrium-Tenant header");
        }
        try {
            UUID.fromString(tenantId);
        } catch (IllegalArgumentException e) {
            throw new ApiException(Problem.UNAUTHENTICATED, "X-Atrium-Tenant must be a tenant id");
        }
        if (accessToken.length() > MAX_TOKEN_LENGTH || !JWT.matcher(accessToken).matches()) {
            throw new ApiException(Problem.UNAUTHENTICATED, "the bearer credential is neither an Atrium API key nor an access token");
        }
        return verified(ApiKeyHasher.fingerprint(tenantId + " " + accessToken),
                () -> KeyVerdict.of(controlPlane.introspectToken(accessToken, tenantId), "access token not valid for this tenant"));
    }

    private interface Introspection {
        KeyVerdict call() throws ControlPlaneClient.UnreachableException;
    }

    private TenantPrincipal verified(String cacheKey, Introspection introspection) {
        Instant now = clock.instant();
        Cached cached = cache.getIfPresent(cacheKey);
        if (cached == null) {
            cached = refusals.getIfPresent(cacheKey);
        }
        if (cached != null && age(cached, now).compareTo(cached.verdict().isValid() ? settings.ttl() : settings.negativeTtl()) < 0) {
            metrics.counter("atrium.apikey.verifications", "source", "cache").increment();
            return principalOf(cached.verdict());
        }
        try {
            KeyVerdict verdict = introspectOnce(cacheKey, introspection, now);
            metrics.counter("atrium.apikey.verifications", "source", "control-plane").increment();
            return principalOf(verdict);
        } catch (ControlPlaneClient.UnreachableException e) {
            if (cached != null && !cached.verdict().isValid()) {
                metrics.counter("atrium.apikey.verifications", "source", "stale-cache").increment();
                return principalOf(cached.verdict());
            }
            if (e.isDown() && cached != null && age(cached, now).compareTo(settings.maxStaleness()) < 0) {
                LOG.debugf("control plane unreachable (%s); using a verdict %s old", e.getMessage(), age(cached, now));
                metrics.counter("atrium.apikey.verifications", "source", "stale-cache").increment();
                return principalOf(cached.verdict());
            }
            if (e.isDown()) {
                LOG.warnf("cannot verify an API key: %s", e.getMessage());
                throw new ApiException(Problem.CONTROL_PLANE_UNAVAILABLE,
                        "the API key cannot be verified right now (control plane unreachable); retry shortly");
            }
            metrics.counter("atrium.apikey.verifications", "source", "refused-unanswered").increment();
            long retryAfter = Math.max(1, (e.retryAfter().orElse(DEFAULT_RETRY).toMillis() + 999) / 1000);
            LOG.debugf("cannot verify an API key now: %s", e.getMessage());
            throw new ApiException(Problem.CONTROL_PLANE_UNAVAILABLE, "the API key cannot be verified right now (the control plane "
                    + "is not answering: " + (e instanceof ControlPlaneClient.RefusedException refused ? "HTTP " + refused.status() : "timed out")
                    + "); retry after " + retryAfter + " s", null, retryAfter);
        }
    }

    /**
     * Asks the control plane, once for all concurrent requests with the same key: the first caller asks and caches
     * the verdict, the others wait for its answer. After a 429 nobody asks until its {@code Retry-After} has passed.
     */
    private KeyVerdict introspectOnce(String cacheKey, Introspection introspection, Instant now) throws ControlPlaneClient.UnreachableException {
        Instant until = throttledUntil;
        if (now.isBefore(until)) {
            throw new ControlPlaneClient.RefusedException("the control plane asked to wait (429) until " + until, 429,
                    Duration.between(now, until));
        }
        CompletableFuture<KeyVerdict> mine = new CompletableFuture<>();
        CompletableFuture<KeyVerdict> running = inFlight.putIfAbsent(cacheKey, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof ControlPlaneClient.UnreachableException unreachable) {
                    throw unreachable;
                }
                throw e;
            }
        }
        try {
            KeyVerdict verdict = introspection.call();
            (verdict.isValid() ? cache : refusals).put(cacheKey, new Cached(verdict, now));
            mine.complete(verdict);
            return verdict;
        } catch (ControlPlaneClient.UnreachableException e) {
            if (e instanceof ControlPlaneClient.RefusedException refused && refused.status() == 429) {
                throttledUntil = now.plus(refused.retryAfter().orElse(DEFAULT_RETRY));
            }
            mine.completeExceptionally(e);
            throw e;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(cacheKey, mine);
        }
    }

    private static Duration age(Cached cached, Instant now) {
        return Duration.between(cached.fetchedAt(), now);
    }

    private TenantPrincipal principalOf(KeyVerdict verdict) {
        if (!verdict.isValid()) {
            throw new ApiException(Problem.UNAUTHENTICATED, "API key refused: " + verdict.reason());
        }
        TenantPrincipal principal = verdict.principal();
        if ("SUSPENDED".equals(principal.tenantStatus())) {
            throw new ApiException(Problem.TENANT_SUSPENDED, "tenant " + principal.tenantId()
                    + " is suspended; its API keys work again when a platform admin resumes it");
        }
        if (!principal.tenantActive()) {
            throw new ApiException(Problem.TENANT_NOT_ACTIVE, "tenant " + principal.tenantId() + " is " + principal.tenantStatus()
                    + ", not ACTIVE; its API keys and members are not served");
        }
        if (region != null && !verdict.servedIn(region)) {
            String home = verdict.regions().stream().filter(PlacedRegion::primary).findFirst()
                    .map(primary -> "; its data plane is region " + primary.name() + " at " + primary.endpoint())
                    .orElse("; it is not placed in any region yet");
            throw new ApiException(Problem.TENANT_NOT_PLACED_HERE, "tenant " + principal.tenantId() + " is not served in region "
                    + region + home);
        }
        if (region != null) {
            PlacedRegion here = verdict.regions().stream().filter(placed -> placed.name().equals(region)).findFirst()
                    .orElseThrow();
            if (dedicatedTenant != null && !(dedicatedTenant.equals(principal.tenantId()) && here.dedicated())) {
                throw new ApiException(Problem.TENANT_NOT_PLACED_HERE, "this data plane is dedicated to one tenant; tenant "
                        + principal.tenantId() + " is served in region " + region + " at " + here.endpoint());
            }
            if (dedicatedTenant == null && here.dedicated()) {
                throw new ApiException(Problem.TENANT_HAS_OWN_DATA_PLANE, "tenant " + principal.tenantId()
                        + " has a data plane of its own in region " + region + " at " + here.endpoint()
                        + "; this is the region's shared data plane, which holds none of its data");
            }
        }
        return principal;
    }
}
