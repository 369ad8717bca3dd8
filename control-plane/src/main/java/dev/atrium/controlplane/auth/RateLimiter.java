package dev.atrium.controlplane.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

import dev.atrium.controlplane.common.RateLimitedException;
import dev.atrium.controlplane.identity.Caller;
import dev.atrium.tenancy.TokenBucket;

/**
 * A token bucket per caller (rate and burst from the tenant's plan). In memory and per process: with several
 * control-plane replicas the effective limit is the sum, which is acceptable for abuse protection.
 */
@ApplicationScoped
public class RateLimiter {

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public void acquire(Caller caller) {
        TokenBucket bucket = buckets.computeIfAbsent(caller.actorId(), id -> new TokenBucket(caller.burst(), System.nanoTime()));
        long waitNanos = bucket.tryTake(caller.requestsPerSecond(), caller.burst(), System.nanoTime());
        if (waitNanos > 0) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(waitNanos + 999_999_999L));
            throw new RateLimitedException("rate limit of " + caller.requestsPerSecond()
                    + " requests/s (burst " + caller.burst() + ") exceeded; retry after " + seconds + " s", seconds);
        }
    }

    @Scheduled(every = "5m", delayed = "5m")
    void forgetIdleBuckets() {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> bucket.idleFor(now) > TimeUnit.MINUTES.toNanos(10));
    }
}
