package dev.atrium.controlplane.provisioning;

import java.time.Duration;

/**
 * How often {@link TenantReconciler} compares every tenant with its region even without a watch event, and how it
 * backs off after a failure: {@code initialBackoff}, doubled per consecutive failure, never more than
 * {@code maxBackoff}.
 *
 * @param threads reconciles that may run at once (one per tenant at most); a deprovision holds its thread while it
 *                waits for the namespace to go
 */
public record ReconcilerSettings(Duration resyncInterval, Duration initialBackoff, Duration maxBackoff, int threads) {

    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);

    public ReconcilerSettings {
        if (resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new IllegalArgumentException("resyncInterval must be positive");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive and maxBackoff at least initialBackoff");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** Resync every 30 s; back off from 1 s to 5 min; two reconciles at once. */
    public static ReconcilerSettings defaults() {
        return new ReconcilerSettings(DEFAULT_RESYNC, Duration.ofSeconds(1), Duration.ofMinutes(5), 2);
    }

    /** The wait before retry number {@code failures} (1 for the first retry). */
    public Duration backoff(int failures) {
        long factor = 1L << Math.min(Math.max(failures - 1, 0), 30);
        Duration delay = initialBackoff.multipliedBy(factor);
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
