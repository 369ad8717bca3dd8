package dev.atrium.contract;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a data plane erased of a tenant, and when: rows per table ({@code knowledge_base}, {@code document},
 * {@code chunk}, {@code ingest_job}, {@code guardrail_policy}, {@code usage_outbox}, {@code audit_outbox}) and index
 * directories ({@code index_directories}). Zero everywhere when the tenant had nothing there.
 */
public record ErasureReceipt(UUID tenantId, String region, Instant erasedAt, Map<String, Long> erased) {

    public ErasureReceipt {
        erased = erased == null ? Map.of() : Map.copyOf(erased);
    }
}
