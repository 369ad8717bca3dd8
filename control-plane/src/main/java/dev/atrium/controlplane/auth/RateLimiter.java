package dev.atrium.controlplane.auth;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;

import dev.atrium.controlplane.common.RateLimitedException;

/**
 * A token bucket per caller (rate and burst from the tenant's plan). In memory and per process: with several
 * control-plane replicas the effective limit is the sum, which is acceptable for abuse protection.
 */
@ApplicationScoped
public class RateLimiter {

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public void acquire(Caller caller) {
        Bucket bucket = buckets.computeIfAbsent(caller.actorId(), id -> new Bucket(caller.burst()));
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

    static final class Bucket {
        private double tokens;
        private long lastRefill;

        Bucket(int burst) {
            this.tokens = burst;
            this.lastRefill = System.nanoTime();
        }

        /** Takes one token; returns 0 on success or the nanoseconds until a token is available. */
        synchronized long tryTake(int ratePerSecond, int burst, long now) {
            tokens = Math.min(burst, tokens + (now - lastRefill) * ratePerSecond / 1e9);
            lastRefill = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) ((1 - tokens) * 1e9 / ratePerSecond);
        }

        synchronized long idleFor(long now) {
            return now - lastRefill;
        }
    }
}
