package dev.atrium.controlplane.cost;

/**
 * Summed usage of one group (a day, a model, a key, or everything in the range), and what it cost in the platform's
 * currency ({@code cost}: the events priced when recorded; {@code unpricedEvents}: those recorded while no price book
 * was in force).
 */
public record UsageTotals(String key, long requests, long inputTokens, long outputTokens, long embeddingTokens,
                          long chunksStored, double gpuSeconds, java.math.BigDecimal cost, long unpricedEvents) {
}
