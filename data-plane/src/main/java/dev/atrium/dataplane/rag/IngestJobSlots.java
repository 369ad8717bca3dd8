package dev.atrium.dataplane.rag;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.atrium.dataplane.common.ApiException;
import dev.atrium.dataplane.common.Problem;

/**
 * Counts the background ingest jobs that are queued or running, in the region and per tenant, so that the job queue
 * is bounded: a document that would exceed either bound is refused with 429 and {@code Retry-After} before anything
 * is stored. Jobs resumed after a restart are counted without a bound (they are stored already).
 */
final class IngestJobSlots {

    static final long RETRY_AFTER_SECONDS = 30;

    private final int regionMax;
    private final int tenantMax;
    private int region;
    private final Map<UUID, Integer> tenants = new HashMap<>();

    IngestJobSlots(int regionMax, int tenantMax) {
        this.regionMax = regionMax;
        this.tenantMax = tenantMax;
    }

    synchronized void reserve(UUID tenantId) {
        if (region >= regionMax) {
            throw new ApiException(Problem.RATE_LIMITED, "this region already has " + regionMax + " documents waiting to be indexed "
                    + "(atrium.rag.max-queued-jobs); retry after " + RETRY_AFTER_SECONDS + " s", null, RETRY_AFTER_SECONDS);
        }
        if (tenants.getOrDefault(tenantId, 0) >= tenantMax) {
            throw new ApiException(Problem.RATE_LIMITED, "this tenant already has " + tenantMax + " documents waiting to be indexed "
                    + "(atrium.rag.max-queued-jobs-per-tenant); retry after " + RETRY_AFTER_SECONDS + " s", null, RETRY_AFTER_SECONDS);
        }
        take(tenantId);
    }

    synchronized void take(UUID tenantId) {
        region++;
        tenants.merge(tenantId, 1, Integer::sum);
    }

    synchronized void release(UUID tenantId) {
        region--;
        tenants.computeIfPresent(tenantId, (id, count) -> count > 1 ? count - 1 : null);
    }

    synchronized int queued() {
        return region;
    }
}
