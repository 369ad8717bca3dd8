package dev.atrium.tenancy;

/**
 * A token bucket: up to {@code burst} requests at once, refilled at {@code ratePerSecond}. Rate and burst are
 * passed on every call, so a plan change applies to an existing bucket at once.
 */
public final class TokenBucket {

    private double tokens;
    private long lastRefill;

    public TokenBucket(int burst, long nowNanos) {
        this.tokens = burst;
        this.lastRefill = nowNanos;
    }

    /** Takes one token; returns 0 on success or the nanoseconds until a token is available. */
    public synchronized long tryTake(int ratePerSecond, int burst, long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastRefill) * ratePerSecond / 1e9);
        lastRefill = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) ((1 - tokens) * 1e9 / ratePerSecond);
    }

    /** True when a token could be taken now, without taking it. */
    public synchronized boolean hasToken(int ratePerSecond, int burst, long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - lastRefill) * ratePerSecond / 1e9);
        lastRefill = nowNanos;
        return tokens >= 1;
    }

    public synchronized long idleFor(long nowNanos) {
        return nowNanos - lastRefill;
    }
}
