package dev.atrium.controlplane.cost;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant's usage and its cost in a time range, in total and grouped by UTC day, by model and by API key. */
public record UsageReport(UUID tenantId, Instant from, Instant to, String currency, UsageTotals totals, List<UsageTotals> byDay,
                          List<UsageTotals> byModel, List<UsageTotals> byKey) {
}
