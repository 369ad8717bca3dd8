package dev.atrium.contract;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * One metered unit of work done by a data plane for a tenant. {@code id} is unique per event (the data plane's
 * outbox id) and is what makes shipping idempotent.
 *
 * @param guardrails guardrail decisions of the request, counted by {@code rule:decision} (e.g. {@code pii.email:redact})
 */
public record UsageEvent(
        @NotNull(message = "id is required") UUID id,
        @NotNull(message = "tenantId is required") UUID tenantId,
        UUID apiKeyId,
        @NotBlank(message = "operation is required") @Size(max = 64) String operation,
        @Size(max = 200) String model,
        @NotNull(message = "occurredAt is required") Instant occurredAt,
        @PositiveOrZero Integer requests,
        @PositiveOrZero Long inputTokens,
        @PositiveOrZero Long outputTokens,
        @PositiveOrZero Long embeddingTokens,
        @PositiveOrZero Long chunksStored,
        @PositiveOrZero Double gpuSeconds,
        Map<String, Long> guardrails) {

    /** Counters a data plane leaves out are zero. */
    public UsageEvent {
        requests = requests == null ? 0 : requests;
        inputTokens = inputTokens == null ? 0 : inputTokens;
        outputTokens = outputTokens == null ? 0 : outputTokens;
        embeddingTokens = embeddingTokens == null ? 0 : embeddingTokens;
        chunksStored = chunksStored == null ? 0 : chunksStored;
        gpuSeconds = gpuSeconds == null ? 0.0 : gpuSeconds;
        guardrails = guardrails == null ? Map.of() : Map.copyOf(guardrails);
    }
}
