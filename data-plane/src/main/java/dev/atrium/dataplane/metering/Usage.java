package dev.atrium.dataplane.metering;

import java.util.Map;
import java.util.UUID;

/**
 * What one request used, as shipped to the control plane's ledger ({@code POST /internal/v1/usage}).
 * GPU-seconds are zero while models run on CPU in process or behind an upstream that does not report them.
 */
public record Usage(UUID tenantId, UUID apiKeyId, String operation, String model, long inputTokens, long outputTokens,
                    long embeddingTokens, long chunksStored, Map<String, Long> guardrails) {
}
