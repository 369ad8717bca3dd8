package dev.atrium.dataplane.auth;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.atrium.dataplane.common.DataPlaneConfig;
import dev.atrium.tenancy.TokenBucket;

/**
 * Each client address has a budget of credentials this data plane could not verify
 * ({@code atrium.unverified.requests-per-second}, {@code .burst}); past it, credentials it does not already know to be
 * valid are refused with 429 before the control plane is asked, so a flood of junk keys or tokens neither spends the
 * region's allowance at the control plane nor fills its caches.
 */
@ApplicationScoped
public class UnverifiedSources {

    private final Cache<String, TokenBucket> budgets = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(10, TimeUnit.MINUTES).build();

    @Inject
    DataPlaneConfig config;

    /** True while the address has spent its budget. */
    public boolean overBudget(String source) {
        TokenBucket bucket = budgets.getIfPresent(source);
        return bucket != null && !bucket.hasToken(config.unverified().requestsPerSecond(), config.unverified().burst(), System.nanoTime());
    }

    /** Spends one unit of the address's budget for a credential that failed verification. */
    public void failed(String source) {
        budgets.get(source, s -> new TokenBucket(config.unverified().burst(), System.nanoTime()))
                .tryTake(config.unverified().requestsPerSecond(), config.unverified().burst(), System.nanoTime());
    }

    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1.0 / config.unverified().requestsPerSecond()));
    }
}
