package dev.atrium.dataplane.auth;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

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
    private DataPlaneConfig.Unverified settings;
    private LongSupplier nanoTime;

    @Inject
    UnverifiedSources(DataPlaneConfig config) {
        this(config.unverified(), System::nanoTime);
    }

    UnverifiedSources(DataPlaneConfig.Unverified settings, LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    /** True while the address has spent its budget. */
    public boolean overBudget(String source) {
        TokenBucket bucket = budgets.getIfPresent(source);
        return bucket != null && !bucket.hasToken(settings.requestsPerSecond(), settings.burst(), nanoTime.getAsLong());
    }

    /** Spends one unit of the address's budget for a credential that failed verification. */
    public void failed(String source) {
        budgets.get(source, s -> new TokenBucket(settings.burst(), nanoTime.getAsLong()))
                .tryTake(settings.requestsPerSecond(), settings.burst(), nanoTime.getAsLong());
    }

    public long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1.0 / settings.requestsPerSecond()));
    }
}
