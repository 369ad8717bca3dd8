package dev.atrium.dataplane.gateway;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;

/**
 * How many model calls one tenant may have in flight in this data plane at once. Rate limits count requests per
 * second; they do not stop a tenant whose backend is slow (its own deployment, say) from holding many workers at the
 * same time. Past the limit a call is refused at once with 429 and {@code Retry-After}, before anything is sent.
 */
final class TenantBulkhead {

    /** A held place; closing it frees the place (once). */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final int limit;
    private final Map<UUID, Semaphore> places = new ConcurrentHashMap<>();

    TenantBulkhead(int limit) {
        this.limit = limit;
    }

    Permit enter(UUID tenantId) {
        Semaphore semaphore = places.computeIfAbsent(tenantId, id -> new Semaphore(limit));
        if (!semaphore.tryAcquire()) {
            throw new ApiException(Problem.RATE_LIMITED, "this tenant already has " + limit
                    + " model calls in flight in this region; retry when one has finished", null, 1);
        }
        return new Permit() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    semaphore.release();
                }
            }
        };
    }
}
