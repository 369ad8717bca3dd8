package dev.atrium.dataplane.guardrail;

import jakarta.validation.constraints.NotNull;

/** A tenant's guardrail settings: what to do on PII (ingest and answers) and on prompt injection (queries, retrieved text). */
public record GuardrailPolicy(@NotNull(message = "pii is required") GuardrailAction pii,
                              @NotNull(message = "promptInjection is required") GuardrailAction promptInjection) {
}
