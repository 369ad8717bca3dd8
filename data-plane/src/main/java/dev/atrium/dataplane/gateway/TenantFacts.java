package dev.atrium.dataplane.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jboss.logging.Logger;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.dataplane.common.Problem;
import dev.atrium.dataplane.controlplane.ControlPlaneClient;

/**
 * Something the control plane says about each tenant (its approved versions, its deployments), cached like key
 * verdicts: trusted for the TTL; past it the control plane is asked again, and the last answer (up to max-staleness
 * old) is used only while the control plane is down. A control plane that is up but throttles or does not answer in
 * time gets no such grace: a withdrawn approval or a deleted deployment must not outlive the TTL.
 */
final class TenantFacts<T> {

    /** One call to the control plane for a tenant. */
    @FunctionalInterface
    interface Fetch<T> {
        T from(UUID tenantId) throws ControlPlaneClient.UnreachableException;
    }

    private record Cached<T>(T facts, Instant fetchedAt) {
    }

    private static final Logger LOG = Logger.getLogger(TenantFacts.class);

    private final String what;
    private final Fetch<T> fetch;
    private final DataPlaneConfig.KeyCache settings;
    private final Cache<UUID, Cached<T>> cache;
    private final Clock clock = Clock.systemUTC();

    /** @param what how a refusal names these facts, e.g. "model approvals" */
    TenantFacts(String what, Fetch<T> fetch, DataPlaneConfig.KeyCache settings) {
        this.what = what;
        this.fetch = fetch;
        this.settings = settings;
        this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.maxStaleness()).build();
    }

    T of(UUID tenantId) {
        Instant now = clock.instant();
        Cached<T> cached = cache.getIfPresent(tenantId);
        if (cached != null && Duration.between(cached.fetchedAt(), now).compareTo(settings.ttl()) < 0) {
            return cached.facts();
        }
        try {
            T fresh = fetch.from(tenantId);
            cache.put(tenantId, new Cached<>(fresh, now));
            return fresh;
        } catch (ControlPlaneClient.UnreachableException e) {
            if (cached != null && e.isDown()) {
                LOG.debugf("control plane unreachable (%s); using %s fetched at %s", e.getMessage(), what, cached.fetchedAt());
                return cached.facts();
            }
            throw unavailable(e, what);
        }
    }

    /** What is held of the tenant, however old, without asking the control plane. */
    java.util.Optional<T> peek(UUID tenantId) {
        return java.util.Optional.ofNullable(cache.getIfPresent(tenantId)).map(Cached::facts);
    }

    void forget(UUID tenantId) {
        cache.invalidate(tenantId);
    }

    static ApiException unavailable(ControlPlaneClient.UnreachableException e, String what) {
        long retryAfter = Math.max(1, e.retryAfter().map(Duration::toSeconds).orElse(1L));
        return new ApiException(Problem.CONTROL_PLANE_UNAVAILABLE, what + " cannot be checked right now (control plane "
                + (e.isDown() ? "unreachable" : "not answering") + ")", null, retryAfter);
    }
}
