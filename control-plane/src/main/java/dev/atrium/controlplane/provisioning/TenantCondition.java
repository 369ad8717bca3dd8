package dev.atrium.controlplane.provisioning;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a tenant stands in one region. Exactly one {@link Type} holds at a time.
 *
 * @param reason         a short CamelCase word (e.g. {@code UpToDate}, {@code ApiServerUnreachable})
 * @param message        one line for people; scrubbed of the tenant's credentials
 * @param failedAttempts consecutive failures so far (0 unless Degraded)
 * @param retryIn        when Degraded, how long until the next attempt; otherwise zero
 */
public record TenantCondition(String tenantId, String region, Type type, String reason, String message,
        Instant since, int failedAttempts, Duration retryIn) {

    /** The three states of a tenant's placement. */
    public enum Type {
        /** Every object matches the desired state, the data plane is available and the database's instances ready. */
        READY,
        /**
         * A new or changed spec is being applied or waits for its data plane and database to come up, or the tenant is
         * being removed from the region.
         */
        PROGRESSING,
        /**
         * The last attempt failed and is retried with backoff, or a tenant that was Ready lost its data plane's
         * availability or a database instance (no retry: the workloads' next status change is looked at).
         */
        DEGRADED
    }

    boolean sameStateAs(TenantCondition other) {
        return other != null && type == other.type && reason.equals(other.reason) && message.equals(other.message)
                && failedAttempts == other.failedAttempts;
    }
}
