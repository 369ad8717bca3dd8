package dev.atrium.dataplane.auth;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.atrium.tenancy.TokenBucket;

/**
 * Per-key rate limits at the data plane, with the rate and burst of the tenant's plan as the control plane reports
 * them. In memory per process: with several replicas the effective limit is their sum (abuse protection, not billing).
 */
@ApplicationScoped
public class KeyRateLimiter {

    private final Cache<String, TokenBucket> buckets = Caffeine.newBuilder().maximumSize(200_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    /** 0 when the request may proceed, otherwise the whole seconds to wait. */
    public long secondsToWait(TenantPrincipal caller) {
        if (caller.actorId() == null || caller.requestsPerSecond() <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        TokenBucket bucket = buckets.get(caller.actorId(), id -> new TokenBucket(caller.burst(), now));
        long waitNanos = bucket.tryTake(caller.requestsPerSecond(), Math.max(1, caller.burst()), now);
        return waitNanos == 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
    }
}
