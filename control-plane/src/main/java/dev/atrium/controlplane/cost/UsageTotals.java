package dev.atrium.controlplane.cost;

/** Summed usage of one group (a day, a model, a key, or everything in the range). */
public record UsageTotals(String key, long requests, long inputTokens, long outputTokens, long embeddingTokens,
                          long chunksStored, double gpuSeconds) {
}
